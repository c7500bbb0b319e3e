# SPDX-License-Identifier: GPL-3.0-or-later
"""The language the GUI tests run the app in, and the app's own strings in
it, from the build tree's catalogue: one `_` for every suite."""

import gettext
import os
import re

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
LOCALEDIR = os.environ.get("EIMZA_ASISTAN_LOCALEDIR", os.path.join(BUILDDIR, "po"))
LANG = os.environ.get("EIMZA_GUI_LANG", "tr")
TURKISH = LANG == "tr"

if TURKISH:
    LOCALE_ENV = {"LANG": "tr_TR.UTF-8", "LANGUAGE": "tr", "LC_ALL": "tr_TR.UTF-8"}
    _catalogue = gettext.translation("eimza-asistan", localedir=LOCALEDIR, languages=["tr"])
else:
    LOCALE_ENV = {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": "C.UTF-8"}
    _catalogue = gettext.NullTranslations()


def strip_mnemonic(text):
    """"_Devam" -> "Devam", as GTK names a control with a mnemonic label."""
    return re.sub(r"_(.)", r"\1", text)


# English text without mnemonics -> what the app shows, so that moving a
# mnemonic ("Card _reader type" -> "Card reader t_ype") does not break a test.
_plain = {}
for _msgid, _msgstr in getattr(_catalogue, "_catalog", {}).items():
    if isinstance(_msgid, str) and _msgid:
        _plain.setdefault(strip_mnemonic(_msgid), strip_mnemonic(_msgstr))


def _(text):
    """The string the app shows for the English text (mnemonics ignored)."""
    plain = strip_mnemonic(text)
    return _plain.get(plain, plain)


def format_regex(fmt):
    """A printf format as a regex: every conversion matches some text."""
    return re.compile(re.sub(r"%(?:\d+\$)?[sud]", ".+", re.escape(fmt).replace("\\%", "%"))
                      + r"\Z", re.S)


# Every message of the app, as shown in this language (printf formats as
# wildcards): a message found here comes from the app's own catalogue.
_shown_patterns = [format_regex(v if TURKISH else k)
                   for k, v in getattr(_catalogue, "_catalog", {}).items()
                   if isinstance(k, str) and k]


def from_catalogue(message):
    """True if message is one of the app's messages in the language under
    test (so a Turkish run catches a message left in English)."""
    if not TURKISH:
        return True
    return any(p.match(message) for p in _shown_patterns)


def ngettext(singular, plural, n):
    return _catalogue.ngettext(singular, plural, n)


def ngettext_re(singular, plural):
    """A regex for any plural form of a message with printf conversions."""
    forms = {_catalogue.ngettext(singular, plural, n) for n in (1, 2, 5)}
    return re.compile("|".join("(?:%s)" % format_regex(f).pattern for f in forms))
