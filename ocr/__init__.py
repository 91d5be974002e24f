"""Pixels to code candidates (OpenCV + Tesseract). Qt-free: takes numpy arrays."""
