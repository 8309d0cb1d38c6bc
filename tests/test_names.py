"""Dutch name order: the surname's prefix does not count."""

from __future__ import annotations

import pytest

from samenspraak.names import surname_sort_key


@pytest.mark.parametrize(
    ("last_name", "key"),
    [
        ("Vries", "vries"),
        ("de Vries", "vries"),
        ("De Vries", "vries"),
        ("van der Berg", "berg"),
        ("van den Heuvel", "heuvel"),
        ("el Amrani", "amrani"),
        ("El-Amrani", "amrani"),
        ("ter Horst", "horst"),
        ("ten Brink", "brink"),
        ("te Riele", "riele"),
        ("'t Hart", "hart"),
        ("\u2019t Hart", "hart"),
        ("in 't Veld", "veld"),
        ("op den Kamp", "kamp"),
        ("den Uyl", "uyl"),
        ("der Kinderen", "kinderen"),
        ("Özdemir", "ozdemir"),
        ("van Çelik", "celik"),
        ("Ündeğer", "undeger"),
    ],
)
def test_the_sort_key_drops_prefixes_case_and_accents(last_name: str, key: str) -> None:
    assert surname_sort_key(last_name) == key


@pytest.mark.parametrize(("last_name", "key"), [("De", "de"), ("Van", "van"), ("", ""), ("  ", "")])
def test_a_name_that_is_only_a_prefix_keeps_it(last_name: str, key: str) -> None:
    assert surname_sort_key(last_name) == key


def test_names_sort_under_the_main_part() -> None:
    names = ["Jan de Vries", "Fatima el Amrani", "Piet Bakker", "Anna van der Berg", "Kees Zwart"]

    ordered = sorted(names, key=lambda name: surname_sort_key(name.split(" ", 1)[1]))

    assert ordered == ["Fatima el Amrani", "Piet Bakker", "Anna van der Berg", "Jan de Vries", "Kees Zwart"]
