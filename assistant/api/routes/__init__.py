"""One router per feature; request/response models live beside their routes."""
