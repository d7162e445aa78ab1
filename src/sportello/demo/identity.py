"""Italian people, companies, places and the identifiers that go with them.

Codici fiscali, partite IVA and IBANs are computed with their real check
characters, so python-stdnum (and any bank) accepts them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from stdnum import iban, luhn
from stdnum.it import codicefiscale


@dataclass(frozen=True)
class Place:
    city: str
    province: str
    postcode: str
    belfiore: str  # the cadastral code that enters the codice fiscale
    vat_office: str  # the province code of a partita IVA (digits 8-10)


PLACES = [
    Place("Milano", "MI", "20121", "F205", "015"),
    Place("Roma", "RM", "00185", "H501", "058"),
    Place("Torino", "TO", "10121", "L219", "001"),
    Place("Treviso", "TV", "31100", "L407", "026"),
    Place("Prato", "PO", "59100", "G999", "100"),
    Place("Ravenna", "RA", "48121", "H199", "039"),
    Place("Bologna", "BO", "40121", "A944", "037"),
    Place("Firenze", "FI", "50122", "D612", "048"),
    Place("Napoli", "NA", "80121", "F839", "063"),
    Place("Verona", "VR", "37121", "L781", "023"),
    Place("Padova", "PD", "35121", "G224", "028"),
    Place("Bergamo", "BG", "24121", "A794", "016"),
    Place("Livorno", "LI", "57123", "E625", "049"),
    Place("Collesalvetti", "LI", "57014", "C869", "049"),
]

MALE_NAMES = ["Mario", "Luca", "Giuseppe", "Marco", "Alessandro", "Francesco", "Paolo", "Davide"]
FEMALE_NAMES = ["Giulia", "Francesca", "Chiara", "Sara", "Elena", "Laura", "Anna", "Martina"]
SURNAMES = [
    "Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
    "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini", "Rizzo", "Lombardi",
    "Moretti", "Barbieri", "Fontana", "Santoro",
]  # fmt: skip
STREETS = [
    "Via Roma", "Via Garibaldi", "Corso Italia", "Via Mazzini", "Viale Europa",
    "Via Dante Alighieri", "Via dei Poggi", "Piazza Cavour", "Via Verdi", "Via XX Settembre",
]  # fmt: skip
BUSINESS_NAMES = [
    ("Studio Dentistico {s}", "S.r.l."),
    ("Trasporti {s}", "S.n.c."),
    ("Edil Costruzioni {s}", "S.p.A."),
    ("Autofficina {s}", "S.r.l."),
    ("Panificio {s}", "S.a.s."),
    ("Meccanica {s}", "S.r.l."),
    ("Agricola {s}", "S.s."),
    ("Tipografia {s}", "S.r.l."),
]
ABI_BANKS = ["03069", "02008", "05034", "08327", "05428", "03111", "06230"]

MONTH_LETTERS = "ABCDEHLMPRST"
VOWELS = set("AEIOU")
# Omocodia: the digits of a codice fiscale replaced by letters, right to left.
OMOCODIA = dict(zip("0123456789", "LMNPQRSTUV", strict=True))
OMOCODIA_POSITIONS = (14, 13, 12, 10, 9, 7, 6)


def _letters(text: str) -> tuple[list[str], list[str]]:
    letters = [c for c in text.upper() if c.isalpha()]
    return [c for c in letters if c not in VOWELS], [c for c in letters if c in VOWELS]


def _surname_code(surname: str) -> str:
    consonants, vowels = _letters(surname)
    return ("".join(consonants + vowels) + "XXX")[:3]


def _name_code(name: str) -> str:
    consonants, vowels = _letters(name)
    if len(consonants) >= 4:
        consonants = [consonants[0], consonants[2], consonants[3]]
    return ("".join(consonants + vowels) + "XXX")[:3]


def codice_fiscale(
    first_name: str, surname: str, born: dt.date, female: bool, place: Place, omocodia: int = 0
) -> str:
    """The codice fiscale of a natural person; ``omocodia`` letters replace digits
    as the Agenzia delle Entrate does when two people would share a code."""
    day = born.day + (40 if female else 0)
    body = (
        f"{_surname_code(surname)}{_name_code(first_name)}{born:%y}"
        f"{MONTH_LETTERS[born.month - 1]}{day:02d}{place.belfiore}"
    )
    chars = list(body)
    for position in OMOCODIA_POSITIONS[:omocodia]:
        chars[position] = OMOCODIA[chars[position]]
    body = "".join(chars)
    return body + codicefiscale.calc_check_digit(body)


def partita_iva(rng: random.Random, place: Place) -> str:
    body = f"{rng.randint(1, 9_999_999):07d}{place.vat_office}"
    return body + luhn.calc_check_digit(body)


_CIN_ODD = [
    1,
    0,
    5,
    7,
    9,
    13,
    15,
    17,
    19,
    21,
    2,
    4,
    18,
    20,
    11,
    3,
    6,
    8,
    12,
    14,
    16,
    10,
    22,
    25,
    24,
    23,
]


def _cin(abi_cab_account: str) -> str:
    """The Italian BBAN check letter (CIN) over ABI + CAB + account number."""
    total = 0
    for index, char in enumerate(abi_cab_account):
        value = int(char) if char.isdigit() else ord(char) - ord("A")
        total += _CIN_ODD[value] if index % 2 == 0 else value
    return chr(ord("A") + total % 26)


def italian_iban(rng: random.Random) -> str:
    abi = rng.choice(ABI_BANKS)
    cab = f"{rng.randint(1000, 99999):05d}"
    account = f"{rng.randint(1, 10**12 - 1):012d}"
    bban = _cin(abi + cab + account) + abi + cab + account
    return "IT" + iban.calc_check_digits("IT00" + bban) + bban


def birth_date(rng: random.Random) -> dt.date:
    return dt.date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))


def street_address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)}, {rng.randint(1, 180)}"
