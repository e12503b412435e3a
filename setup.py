"""Build step only (all metadata is in pyproject.toml): the built-in corpus ships inside the wheel.

corpus/ stays at the repository root for development; a wheel built from here carries a copy as
assistant/_corpus, which assistant/settings.py uses when there is no checkout beside the package.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CORPUS = Path(__file__).resolve().parent / "corpus"


class BuildWithCorpus(build_py):
    def run(self):
        editable = getattr(self, "editable_mode", False)  # an editable install reads corpus/ in the checkout
        if not editable:
            # build/lib is reused between builds: a module moved or deleted since would otherwise ship again.
            shutil.rmtree(self.build_lib, ignore_errors=True)
        super().run()
        if editable:
            return
        if not (CORPUS / "sz-ai-opc-plan" / "document.yaml").is_file():
            raise SystemExit(f"corpus/ not found beside setup.py ({CORPUS}): the wheel would have no plan to answer from")
        target = Path(self.build_lib) / "assistant" / "_corpus"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("__pycache__", ".*"))


setup(cmdclass={"build_py": BuildWithCorpus})
