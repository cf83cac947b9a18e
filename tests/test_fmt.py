"""Danish formatting as users read it."""

from datetime import date

import pytest

from cockpit.present import fmt


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: fmt.money(1234567.5), "1.234.568 kr."),
        (lambda: fmt.money(-1500), "-1.500 kr."),
        (lambda: fmt.money_compact(12345678), "12,3 mio. kr."),
        (lambda: fmt.money_compact(-2_950_000), "-3,0 mio. kr."),
        (lambda: fmt.money_compact(999_999), "999.999 kr."),
        (lambda: fmt.percent(0.1234), "12,3 %"),
        (lambda: fmt.percent(1), "100,0 %"),
        (lambda: fmt.percent(None), "–"),
        (lambda: fmt.number(1234.5, 1), "1.234,5"),
        (lambda: fmt.number(float("nan")), "–"),
        (lambda: fmt.days(35.0), "35 dage"),
        (lambda: fmt.days(35.5), "35,5 dage"),
        (lambda: fmt.long_date(date(2026, 10, 31)), "31. oktober 2026"),
        (lambda: fmt.value("per 1.000", 13.04), "13,0"),
        (lambda: fmt.value("count", 845), "845"),
        (lambda: fmt.value("kr.", 1234567, compact=False), "1.234.567 kr."),
    ],
)
def test_danish_formats(call, expected):
    assert call() == expected
