#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# `eimza-asistan --check-profile`: the built program on the shipped profiles,
# on broken ones (one per rule), on an NES-only profile and on the
# simulator's sample pages; without a display. TAP output.
import os
import shutil
import subprocess
import sys
import tempfile

PROGRAM = os.environ["EIMZA_ASISTAN"]
SRCDIR = os.environ["EIMZA_SRCDIR"]
PROFILES = os.path.join(SRCDIR, "data", "portal")
SAMPLES = os.path.join(SRCDIR, "tools", "portal-sim", "sample-pages")

results = []


def run(*args):
    env = dict(os.environ)
    # No display at all: the check must not need one.
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    env["LC_ALL"] = "C.UTF-8"
    env.pop("LANGUAGE", None)
    done = subprocess.run([PROGRAM, *args], env=env, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def check(name, condition, detail=""):
    results.append((name, bool(condition), detail))


def expect(name, args, status, stdout_has=(), stderr_has=(), stdout_lacks=()):
    code, out, err = run(*args)
    problems = []
    if code != status:
        problems.append(f"exit status {code}, expected {status}")
    problems += [f"stdout lacks {s!r}" for s in stdout_has if s not in out]
    problems += [f"stderr lacks {s!r}" for s in stderr_has if s not in err]
    problems += [f"stdout has {s!r}" for s in stdout_lacks if s in out]
    detail = "; ".join(problems)
    if problems:
        detail += f"\nstdout: {out[:2000]}\nstderr: {err[:2000]}"
    check(name, not problems, detail)
    return out


def text_of(profile):
    with open(os.path.join(PROFILES, profile), encoding="utf-8") as f:
        return f.read()


def broken(tmp, name, find, replace, profile="simulator.ini"):
    text = text_of(profile)
    assert find in text, (name, find)
    path = os.path.join(tmp, name + ".ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(find, replace, 1))
    return path


def main():
    tmp = tempfile.mkdtemp(prefix="test-check-profile-")
    try:
        expect("kamusm", ["--check-profile", os.path.join(PROFILES, "kamusm.ini")], 0,
               stdout_has=["The profile is valid: the application portal and the NES site.",
                           "[portal] base-url: https://portal.kamusm.gov.tr",
                           "[nes] base-url: https://nesbireysel.kamusm.gov.tr"])
        expect("simulator", ["--check-profile", os.path.join(PROFILES, "simulator.ini")], 0,
               stdout_has=["The profile is valid: the application portal and the NES site.",
                           "[portal] base-url: (given at run time)"])

        # Each rule the application applies, named by group and key.
        rules = [
            ("http-base-url", "base-url=\n", "base-url=http://portal.example\n", "[portal] base-url"),
            ("path-other-host", "login=/bp/meb.go\n", "login=//evil.example/bp/meb.go\n",
             "[paths] login: not a path on the site’s own host"),
            ("path-backslash", "sms=/bp/sms.go\n", "sms=/\\\\evil.example/sms\n", "[paths] sms"),
            ("missing-key", "sms-code=smsKodu\n", "", "[fields] sms-code: the key is missing"),
            ("bad-xpath", "captcha-image=//img[@id='guvenlikResmi']/@src\n",
             "captcha-image=//img[@id='guvenlikResmi'/@src\n",
             "[selectors] captcha-image: not a valid XPath"),
            ("unknown-key", "tckn=tcKimlikNo\n", "tckn=tcKimlikNo\nfax=faks\n", "[fields] fax: unknown key"),
            ("unknown-group", "[submit]\n", "[gonderim]\n", "[gonderim]: unknown group"),
            ("nes-signer-other-host", "signer-base-url=/nb/imza/\n",
             "signer-base-url=//evil.example/nb/imza/\n", "[nes] signer-base-url"),
            ("nes-bad-marker", "marker=boolean(//*[@id='islemlerMenusu'])\n",
             "marker=boolean(//*[@id='islemlerMenusu')\n", "[nes-page:menu] marker"),
        ]
        for name, find, replace, mentions in rules:
            path = broken(tmp, name, find, replace)
            expect(f"broken/{name}", ["--check-profile", path], 1, stderr_has=[mentions],
                   stdout_lacks=["The profile is valid"])

        # An NES site profile alone: told by its groups.
        text = text_of("kamusm.ini")
        nes_only = os.path.join(tmp, "nes-only.ini")
        with open(nes_only, "w", encoding="utf-8") as f:
            f.write(text[text.index("[nes]\n"):])
        expect("nes-only", ["--check-profile", nes_only], 0,
               stdout_has=["The profile is valid: the NES site.",
                           "[nes] base-url: https://nesbireysel.kamusm.gov.tr"])
        with open(nes_only, "a", encoding="utf-8") as f:
            f.write("\n[paths]\nlogin=/x\n")
        expect("nes-only/unknown-group", ["--check-profile", nes_only], 1,
               stderr_has=["[paths]: unknown group"])
        neither = os.path.join(tmp, "neither.ini")
        with open(neither, "w", encoding="utf-8") as f:
            f.write("[baska]\nanahtar=deger\n")
        expect("neither", ["--check-profile", neither], 1, stderr_has=["neither [portal]", "nor [nes]"])
        expect("missing-file", ["--check-profile", os.path.join(tmp, "yok.ini")], 1,
               stderr_has=["yok.ini"])

        # The simulator's sample pages, as its own profile reads them.
        out = expect("sample-pages",
                     ["--check-profile", os.path.join(PROFILES, "simulator.ini"), SAMPLES], 0,
                     stdout_has=[
                         "login.html: a page of the application portal, kind “login”.",
                         "  captcha-image: ",
                         "form-filled.html: a page of the application portal, kind “form”.",
                         "  identity-cells: tckn=10000000146",
                         "sms-wrong-code.html: a page of the application portal, kind “sms”.",
                         "  attempts-left: ",
                         "result.html: a page of the application portal, kind “result”.",
                         "  application-number: ",
                         "nes-login.html: a page of the NES site, kind “login”.",
                         "nes-code.html: a page of the NES site, kind “code”.",
                         "  code: ",
                         "nes-eonay.html: a page of the NES site, kind “eonay”.",
                         "  eonay-active: no",
                         "redesigned.html: not recognised.",
                         "As a page of the application portal: no page marker matched",
                         "truncated.html: not recognised.",
                         "the page is cut off",
                         "malformed.html: not recognised.",
                         "Selectors that matched nothing: ",
                     ])
        # Every page of the folder is reported, in order.
        pages = sorted(n for n in os.listdir(SAMPLES) if n.endswith(".html"))
        reported = [line.split(":", 1)[0] for line in out.splitlines()
                    if line and not line.startswith(" ") and ".html:" in line]
        check("sample-pages/every-page", sorted(set(reported)) == pages,
              f"reported {sorted(set(reported))}, expected {pages}")
        # The login page has no SMS parts: those selectors are listed.
        login = out[out.find("login.html: a page"):] if "login.html: a page" in out else ""
        login = login[:login.index("\n\n")] if "\n\n" in login else login
        check("sample-pages/login-unmatched",
              "Selectors that matched nothing:" in login and "masked-phone" in login
              and "captcha-image," not in login.split("matched nothing:")[-1],
              login)

        expect("pages-dir-missing",
               ["--check-profile", os.path.join(PROFILES, "simulator.ini"), os.path.join(tmp, "yok")], 2,
               stderr_has=["Cannot read the folder of saved pages"])
        expect("usage", ["--check-profile"], 2, stderr_has=["Usage: eimza-asistan --check-profile"])

        # The program itself stays without libsoup and libxml2 (start-up).
        readelf = shutil.which("readelf")
        if readelf:
            needed = subprocess.run([readelf, "-d", PROGRAM], capture_output=True, text=True).stdout
            check("program-links-no-portal-libraries",
                  "libsoup" not in needed and "libxml2" not in needed, needed)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"1..{len(results)}")
    for i, (name, ok, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} /check-profile/{name}")
        if not ok:
            for line in detail.splitlines():
                print(f"# {line}")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
