"""The PySide6 window: the only package (with app.py) that imports Qt."""
