"""The words for each founder-profile field, as every reader sees them: read from the same ``profile.yaml``
that declares the fields (so a field cannot exist without its words, and a deployment's own corpus folder brings
its own), checked against the ``FounderProfile`` this process built."""

from __future__ import annotations

from assistant.errors import CorpusError
from assistant.knowledge.profile import ProfileSpec, load_profile_spec, profile_file
from assistant.types import FounderProfile


def profile_words() -> ProfileSpec:
    """The profile's fields with their words (cached with the spec)."""
    spec = load_profile_spec()
    if set(spec.fields) != set(FounderProfile.model_fields):  # the type was built from another folder's file
        raise CorpusError(f"{profile_file()}: its fields differ from the profile this process was started with; "
                          "restart after changing OPC_CORPUS_DIR.")
    return spec
