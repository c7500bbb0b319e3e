#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""GUI test: a person renews their e-signature, in Turkish, through AT-SPI.

Welcome page -> "E-imza yenileme başvurusu"; the sign-in page refuses a
T.C. Kimlik No with a wrong check digit (message beside the field, "Devam"
insensitive) and takes a valid one; the form page refuses a postal code of
another province ("Formu Onayla" insensitive) and takes the right one; going
back to the sign-in page and forward again keeps every value.  A screenshot
of each page goes to $EIMZA_GUI_ARTIFACTS.

Run through run-gui-test.sh (meson test --suite gui).  EIMZA_GUI_LANG=C runs
the same scenario in the untranslated UI.
"""

import gettext
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS", os.path.join(BUILDDIR, "tests", "gui-artifacts"))
LOCALEDIR = os.environ.get("EIMZA_ASISTAN_LOCALEDIR", os.path.join(BUILDDIR, "po"))
SIM = os.environ.get("EIMZA_PORTAL_SIM",
                     os.path.join(BUILDDIR, "tools", "portal-sim", "eimza-portal-sim"))
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
# mnemonic ("Card _reader type" -> "Card reader t_ype") does not break the test.
_plain = {}
for _msgid, _msgstr in getattr(_catalogue, "_catalog", {}).items():
    if isinstance(_msgid, str) and _msgid:
        _plain.setdefault(strip_mnemonic(_msgid), strip_mnemonic(_msgstr))


def _(text):
    """The string the app shows for the English text (mnemonics ignored),
    from the build tree's catalogue."""
    plain = strip_mnemonic(text)
    return _plain.get(plain, plain)


def _format_regex(fmt):
    return re.compile(re.sub(r"%(?:\d+\$)?[sud]", ".+", re.escape(fmt).replace("\\%", "%")) + r"\Z",
                      re.S)


# Every message of the app, as shown in this language (printf formats as
# wildcards): a message found here comes from the app's own catalogue.
_shown_patterns = [_format_regex(v if TURKISH else k)
                   for k, v in getattr(_catalogue, "_catalog", {}).items()
                   if isinstance(k, str) and k]


def from_catalogue(message):
    """True if message is one of the app's messages in the language under
    test (so a Turkish run catches a message left in English)."""
    if not TURKISH:
        return True
    return any(p.match(message) for p in _shown_patterns)


def expect_turkish(actual, turkish, what):
    """In the Turkish run, the text must be this exact Turkish string: it
    checks the catalogue itself, not only that the app uses it."""
    if TURKISH:
        check(actual == turkish, "%s is %r, expected the Turkish %r" % (what, actual, turkish))


def tckn_check_digits(first9):
    d = [int(c) for c in first9]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d11 = (sum(d) + d10) % 10
    return "%s%d%d" % (first9, d10, d11)


GOOD_TCKN = tckn_check_digits("100000001")
assert GOOD_TCKN == "10000000146"
BAD_TCKN = GOOD_TCKN[:-1] + str((int(GOOD_TCKN[-1]) + 1) % 10)  # wrong check digit

# The first person of the portal simulator's fixtures (its MERNİS record).
LOGIN_VALUES = [
    # (label msgid, Turkish accessible name, value typed)
    ("_T.C. Kimlik No", "T.C. Kimlik No", GOOD_TCKN),
    ("_Name", "Ad", "Ayşe Gül"),
    ("_Surname", "Soyad", "Yılmaz"),
    ("Place of _birth", "Doğum Yeri", "Ankara"),
    ("_Date of birth", "Doğum Tarihi", "14.03.1985"),
]
CAPTCHA = ("Characters in the _image", "Resimdeki yazı")
# Typed when there is no portal to show a real captcha.
OFFLINE_CAPTCHA = "x7K2m"

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
# Kadıköy, İstanbul: a real code, of another province.
OTHER_POSTAL_CODE, OTHER_DISTRICT, OTHER_PROVINCE = "34710", "Kadıköy", "İstanbul"


def app_env():
    env = dict(LOCALE_ENV)
    # See run-gui-test.sh: no leak checking for the app, every other
    # sanitizer check on.
    if os.environ.get("EIMZA_APP_ASAN_OPTIONS"):
        env["ASAN_OPTIONS"] = os.environ["EIMZA_APP_ASAN_OPTIONS"]
    if os.environ.get("EIMZA_APP_UBSAN_OPTIONS"):
        env["UBSAN_OPTIONS"] = os.environ["EIMZA_APP_UBSAN_OPTIONS"]
    return env


def app_talks_to_portal():
    """Whether this build of the app signs in to a portal (--portal-url)."""
    env = dict(os.environ)
    env.update(app_env())
    env.update({"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": ""})
    out = subprocess.run([APP, "--help-all"], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=60).stdout
    return "--portal-url" in out


class Scenario:
    def __init__(self):
        os.makedirs(ARTIFACTS, exist_ok=True)
        self.sim = None
        self.app = g.App(APP, ARTIFACTS, "app-" + LANG, env=app_env())
        self.dumped = False
        self.last_captcha = None

    # -- helpers ------------------------------------------------------------

    def entry(self, label_msgid):
        return self.app.find("text", _(label_msgid))

    def button(self, msgid):
        return self.app.find("push button", _(msgid))

    def error_beside(self, entry):
        """The message shown next to a field: the field's accessible
        description, shown in a visible label of the same field row."""
        desc = entry.description or ""
        if not desc:
            return None
        if desc not in self.app.labels_near(entry):
            return None
        return desc

    def status_line(self):
        """The line beside the page's main button."""
        texts = [t for t in self.app.visible_strings() if re.search(r"\d", t) and
                 t in (_catalogue.ngettext("%u field still needs your attention.",
                                           "%u fields still need your attention.", n) % n
                       for n in range(1, 40))]
        return texts[0] if texts else ""

    # -- steps --------------------------------------------------------------

    def captcha_entry(self):
        return self.entry(CAPTCHA[0])

    def wait_captcha_image(self):
        """A person waits for the page to load: the image comes from the
        portal, and the app moves the focus to its entry when it arrives."""
        if self.sim is None:
            return
        image_name = _("Security image")
        wait_for(lambda: any(g.is_showing(n) for n in self.app.find_all(None, image_name)),
                 "the captcha image from the portal", 30)

    def fill_captcha(self):
        """Type the characters of the image, as a person reads them: from
        the simulator's log once the image is on screen, or a placeholder
        when the app has no portal."""
        entry = self.captcha_entry()
        if self.sim is None:
            self.app.type_into(entry, OFFLINE_CAPTCHA)
            return OFFLINE_CAPTCHA
        self.wait_captcha_image()
        text = wait_for(lambda: (lambda t: t if t and t != self.last_captcha else None)(
            self.sim.captcha()), "a new captcha in the simulator's log")
        self.last_captcha = text
        self.app.type_into(entry, text)
        return text

    def start(self):
        if os.access(SIM, os.X_OK) and app_talks_to_portal():
            self.sim = g.PortalSim(SIM, ARTIFACTS).start()
            self.app.args += ["--portal-profile", "simulator", "--portal-url", self.sim.url,
                              "--portal-ca", self.sim.ca]
        else:
            log("this app has no portal connection (or no simulator is built): "
                "the sign-in page is used offline")
        self.app.start()
        frame = self.app.window
        expect_turkish(frame.name, "E-İmza Asistanı", "the window title")
        check(frame.name == _("E-Signature Assistant"), "window title %r" % frame.name)

    def welcome_page(self):
        renewal = self.app.find("push button", _("E-signature renewal application"))
        expect_turkish(renewal.name, "E-imza yenileme başvurusu", "the renewal button")
        strings = self.app.visible_strings()
        if TURKISH:
            for turkish in ("E-İmza Asistanı", "E-imza yenileme başvurusu", "E-onay"):
                check(turkish in strings, "%r is not on the welcome page; it shows %s"
                      % (turkish, strings))
            check(not any(s in strings for s in ("E-Signature Assistant",
                                                 "E-signature renewal application")),
                  "English strings on the Turkish welcome page: %s" % strings)
        self.app.screenshot("welcome")
        self.app.click(renewal)
        self.entry("_T.C. Kimlik No")

    def login_refuses_bad_tckn(self):
        continue_button = self.button("_Continue")
        expect_turkish(continue_button.name, "Devam", "the continue button")
        for msgid, turkish, _value in LOGIN_VALUES + [CAPTCHA + ("",)]:
            expect_turkish(self.entry(msgid).name, turkish, "the field %r" % msgid)
        self.wait_captcha_image()
        tckn = self.entry("_T.C. Kimlik No")
        self.app.type_into(tckn, BAD_TCKN)
        # The message appears once the person leaves the field.
        self.app.type_into(self.entry("_Name"), "Ayşe Gül")
        message = wait_for(lambda: self.error_beside(tckn),
                           "an error message beside the T.C. Kimlik No field")
        check("T.C. Kimlik" in message and from_catalogue(message),
              "the T.C. Kimlik No error says %r" % message)
        check(not g.is_sensitive(continue_button), "Devam is sensitive with a bad T.C. Kimlik No")
        self.app.screenshot("login-bad-tckn")

    def login_accepts_valid_data(self):
        continue_button = self.button("_Continue")
        for msgid, _turkish, value in LOGIN_VALUES:
            self.app.type_into(self.entry(msgid), value)
        self.fill_captcha()
        self.app.leave()
        tckn = self.entry("_T.C. Kimlik No")
        wait_for(lambda: not self.error_beside(tckn), "the T.C. Kimlik No error to go away")
        wait_for(lambda: g.is_sensitive(continue_button),
                 "Devam to become sensitive (status: %r)" % self.status_line())
        self.app.screenshot("login-valid")
        self.app.click(continue_button)
        # With a portal, signing in takes a round trip.
        self.app.find("push button", _("_Confirm form"), timeout=30)

    def form_refuses_other_province_postal_code(self):
        confirm = self.button("_Confirm form")
        expect_turkish(confirm.name, "Formu Onayla", "the confirm button")
        # The identity from the sign-in page is shown, read-only.
        strings = self.app.visible_strings()
        for _msgid, _turkish, value in LOGIN_VALUES[:5]:
            check(value in strings, "the form page does not show %r from the sign-in page" % value)

        for label, turkish in FORM_RADIOS:
            radio = self.app.find("radio button", _(label))
            expect_turkish(radio.name, turkish, "the choice %r" % label)
            self.app.click(radio)
            wait_for(lambda: radio.checked, "%r to be chosen" % label)
        for label, item in FORM_COMBOS:
            self.app.choose(self.app.find("combo box", _(label)), _(item))
        for label, value, _shown in FORM_ENTRIES:
            self.app.type_into(self.entry(label), value)
        self.app.leave()
        for label, _value, shown in FORM_ENTRIES:
            entry = self.entry(label)
            wait_for(lambda: self.app.text_of(entry) == shown,
                     "%r to show %r once left (shows %r)" % (label, shown, self.app.text_of(entry)))

        province = self.app.find("combo box", _("_Province"))
        district = self.app.find("combo box", _("_District"))
        expect_turkish(province.name, "İl", "the province list")
        expect_turkish(district.name, "İlçe", "the district list")
        check(len(self.app.combo_items(province)) == 81,
              "the province list has %d items" % len(self.app.combo_items(province)))
        self.app.choose(province, PROVINCE)
        wait_for(lambda: DISTRICT in self.app.combo_items(district),
                 "the districts of %s in the district list" % PROVINCE)
        self.app.choose(district, DISTRICT)

        postal = self.entry("P_ostal code")
        expect_turkish(postal.name, "Posta Kodu", "the postal code field")
        self.app.type_into(postal, OTHER_POSTAL_CODE)
        self.app.leave()
        message = wait_for(lambda: self.error_beside(postal),
                           "an error message beside the postal code field")
        # It names the place the code belongs to.
        check(OTHER_DISTRICT in message and OTHER_PROVINCE in message and from_catalogue(message),
              "the postal code error says %r" % message)
        check(not g.is_sensitive(confirm), "Formu Onayla is sensitive with a wrong postal code")
        self.app.scroll_into_view(postal)
        self.app.screenshot("form-wrong-postal-code")

    def form_accepts_valid_data(self):
        confirm = self.button("_Confirm form")
        postal = self.entry("P_ostal code")
        self.app.type_into(postal, POSTAL_CODE)
        self.app.leave()
        wait_for(lambda: not self.error_beside(postal), "the postal code error to go away")
        wait_for(lambda: g.is_sensitive(confirm),
                 "Formu Onayla to become sensitive (status: %r)" % self.status_line())
        self.app.scroll_into_view(confirm)
        self.app.screenshot("form-valid")

    def values_survive_back_and_forward(self):
        back = self.app.find("push button", _("Back"))
        expect_turkish(back.name, "Geri", "the back button")
        self.app.click(back)
        continue_button = self.button("_Continue")
        for msgid, _turkish, value in LOGIN_VALUES:
            entry = self.entry(msgid)
            check(self.app.text_of(entry) == value,
                  "after going back, %r holds %r instead of %r"
                  % (msgid, self.app.text_of(entry), value))
        captcha = self.app.text_of(self.captcha_entry())
        if self.sim is None:
            check(captcha == OFFLINE_CAPTCHA, "after going back, the captcha entry holds %r" % captcha)
        elif captcha != self.last_captcha:
            # A new sign-in needs the new image's characters.
            self.fill_captcha()
        wait_for(lambda: g.is_sensitive(continue_button), "Devam to be sensitive after going back")
        self.app.screenshot("login-after-back")
        self.app.click(continue_button)
        confirm = self.app.find("push button", _("_Confirm form"), timeout=30)
        for label, _typed, value in FORM_ENTRIES + [("P_ostal code", POSTAL_CODE, POSTAL_CODE)]:
            entry = self.entry(label)
            check(self.app.text_of(entry) == value,
                  "after going back and forward, %r holds %r instead of %r"
                  % (label, self.app.text_of(entry), value))
        for label, item in FORM_COMBOS + [("_Province", PROVINCE), ("_District", DISTRICT)]:
            value = self.app.combo_value(self.app.find("combo box", _(label)))
            check(value == (_(item) if label not in ("_Province", "_District") else item),
                  "after going back and forward, %r shows %r instead of %r" % (label, value, item))
        for label, _turkish in FORM_RADIOS:
            check(self.app.find("radio button", _(label)).checked,
                  "after going back and forward, %r is no longer chosen" % label)
        check(g.is_sensitive(confirm), "Formu Onayla is insensitive after going back and forward")
        self.app.screenshot("form-after-forward")

    def clean_exit(self):
        if self.app.proc is None:
            raise g.GuiTestError("the app never started")
        status = self.app.quit()
        check(status == 0, "the app exited with status %s; stderr:\n%s"
              % (status, self.app.stderr_tail()))
        self.app.check_stderr()
        if self.sim is not None:
            sim_status = self.sim.stop()
            check(sim_status == 0, "the portal simulator exited with status %s" % sim_status)

    def on_failure(self):
        """Keep evidence of the first failure: a screenshot and the tree."""
        if self.dumped or self.app.proc is None or self.app.proc.poll() is not None:
            return
        self.dumped = True
        try:
            self.app.screenshot("FAILED")
            self.app.dump("FAILED")
        except Exception as exc:
            log("could not save the failure evidence: %s" % exc)


def main():
    s = Scenario()
    steps = [
        ("app starts (%s)" % LANG, s.start),
        ("welcome page, in Turkish, leads to the renewal application" if TURKISH
         else "welcome page leads to the renewal application", s.welcome_page),
        ("sign-in page refuses a T.C. Kimlik No with a wrong check digit", s.login_refuses_bad_tckn),
        ("sign-in page accepts valid data", s.login_accepts_valid_data),
        ("form page refuses a postal code of another province",
         s.form_refuses_other_province_postal_code),
        ("form page accepts a complete, valid form", s.form_accepts_valid_data),
        ("values survive going back and forward", s.values_survive_back_and_forward),
    ]
    try:
        return g.run_checks(steps, final=("app exits cleanly, no sanitizer or GLib errors",
                                          s.clean_exit),
                            on_failure=s.on_failure)
    finally:
        s.app.kill()
        if s.sim is not None:
            s.sim.stop()


if __name__ == "__main__":
    sys.exit(main())
