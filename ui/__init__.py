"""Founder-facing front ends: the Gradio chat page (``build_ui`` / ``mount_ui``) and, in
``ui/miniprogram/``, a sample WeChat mini-program client of the HTTP API."""

from ui.chat import build_ui, mount_ui

__all__ = ["build_ui", "mount_ui"]
