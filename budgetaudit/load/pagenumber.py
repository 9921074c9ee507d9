"""A printed page number as a line of its own: "12", "- 12 -", "第 12 页，共 40 页", "12/40"."""
from __future__ import annotations

import re

PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$"
)
