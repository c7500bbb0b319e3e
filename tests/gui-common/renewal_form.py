# SPDX-License-Identifier: GPL-3.0-or-later
"""What a person types into the renewal application form, shared by the
renewal and demo GUI suites."""

FORM_ENTRIES = [
    # (label msgid, value typed, value shown once the person leaves the field)
    ("_Security word", "Kelebek42", "Kelebek42"),
    ("_Unit", "Bilgi İşlem Dairesi Başkanlığı", "Bilgi İşlem Dairesi Başkanlığı"),
    ("_Title", "Öğretmen", "Öğretmen"),
    ("Institution or unit _address", "Atatürk Bulvarı No: 98 Kızılay",
     "Atatürk Bulvarı No: 98 Kızılay"),
    ("_E-mail", "ayse.yilmaz@meb.gov.tr", "ayse.yilmaz@meb.gov.tr"),
    # Phone numbers are reformatted the way people write them.
    ("_Work phone", "0312 413 15 00", "312 413 15 00"),
    ("E_xtension", "1234", "1234"),
    ("_Mobile phone", "0532-123-4567", "532 123 45 67"),
    ("_Home phone", "+90 312 987 6543", "312 987 65 43"),
]
FORM_COMBOS = [
    ("Card _reader type", "Not requested"),
    ("Certificate _validity", "3 years"),
    ("Mobile _operator", "Turkcell"),
]
FORM_RADIOS = [
    ("Renewal", "Yenileme"),
    ("E-mail and SMS", "E-posta+SMS"),
]
PROVINCE, DISTRICT, POSTAL_CODE = "Ankara", "Çankaya", "06420"
