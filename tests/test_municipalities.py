from __future__ import annotations

from collections import Counter

from brobygger.municipalities import municipalities


def test_there_are_98_municipalities_with_unique_three_digit_codes():
    register = municipalities()
    codes = [m.code for m in register]
    assert len(register) == 98
    assert len(set(codes)) == 98
    assert all(len(c) == 3 and c.isdigit() for c in codes)


def test_the_regions_hold_their_official_number_of_municipalities():
    counts = Counter(m.region for m in municipalities())
    assert counts == {"Hovedstaden": 29, "Sjælland": 17, "Syddanmark": 22,
                      "Midtjylland": 19, "Nordjylland": 11}


def test_well_known_codes_name_the_right_municipality():
    register = municipalities()
    assert register["101"].name == "København"
    assert register["751"].name == "Aarhus"
    assert register["400"].name == "Bornholm"
    assert register["825"].name == "Læsø"
    assert "411" not in register  # Christiansø is not a municipality
