"""Age in whole years on a given day: the birthday itself counts as reached."""

from datetime import date


def age_on(born: date, day: date) -> int:
    """Completed years; someone born on 29 February reaches an age on 1 March in common years."""
    before_birthday = (day.month, day.day) < (born.month, born.day)
    return day.year - born.year - before_birthday
