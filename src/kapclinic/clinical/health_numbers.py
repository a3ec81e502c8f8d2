"""Provincial health numbers (temporary minimal version; replaced by the full module)."""

import re


class InvalidHealthNumber(ValueError):
    pass


def validate_health_number(province: str, number: str) -> str:
    compact = re.sub(r"[\s-]", "", number).upper()
    if province == "QC":
        if not re.fullmatch(r"[A-Z]{4}\d{8}", compact):
            raise InvalidHealthNumber(
                "A Quebec health insurance number (RAMQ) is 4 letters followed by 8 digits."
            )
        return compact
    if province == "BC":
        if not re.fullmatch(r"9\d{9}", compact):
            raise InvalidHealthNumber("A BC Personal Health Number is 10 digits starting with 9.")
        total = sum(
            int(d) * w for d, w in zip(compact[1:9], (2, 4, 8, 5, 10, 9, 7, 3), strict=True)
        )
        if 11 - total % 11 != int(compact[9]):
            raise InvalidHealthNumber("This BC Personal Health Number fails its check digit.")
        return compact
    raise InvalidHealthNumber(f"Unknown province {province!r}.")
