#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The release's version and date agree everywhere they are written (TAP).

meson.build's project version, the newest <release> of the AppStream
metainfo, the top entry of debian/changelog and the manual page's title
line must name the same version, and the last three the same day.

    check-release.py SRCDIR
"""

import email.utils
import os
import re
import sys
import xml.etree.ElementTree as ET

src = sys.argv[1]
results = []


def read(*parts):
    with open(os.path.join(src, *parts), encoding="utf-8") as f:
        return f.read()


def meson_version():
    m = re.search(r"project\([^)]*?version:\s*'([^']+)'", read("meson.build"), re.S)
    return (m.group(1), None) if m else (None, None)


def metainfo_release():
    root = ET.fromstring(read("data", "io.github.eimza.Asistan.metainfo.xml.in"))
    release = root.find("releases/release")
    if release is None:
        return None, None
    return release.get("version"), release.get("date")


def changelog_release():
    text = read("debian", "changelog")
    head = re.match(r"\S+ \(([^)]+)\)", text)
    trailer = re.search(r"^ -- .+?>  (.+)$", text, re.M)
    if not head or not trailer:
        return None, None
    # A Debian revision (0.1.0-1) belongs to the package, not the release.
    version = re.sub(r"-[^-]+$", "", head.group(1))
    when = email.utils.parsedate_to_datetime(trailer.group(1))
    return version, when.date().isoformat()


def manpage_release():
    m = re.search(r'^\.TH \S+ \S+ "([^"]+)" "eimza-asistan ([^"]+)"',
                  read("data", "eimza-asistan.1"), re.M)
    return (m.group(2), m.group(1)) if m else (None, None)


sources = {
    "meson.build": meson_version(),
    "metainfo <releases>": metainfo_release(),
    "debian/changelog": changelog_release(),
    "eimza-asistan.1": manpage_release(),
}
version = sources["meson.build"][0]
date = sources["metainfo <releases>"][1]

print("1..%d" % (2 * len(sources) - 1))
n = 0
failed = False
for name, (v, d) in sources.items():
    n += 1
    if v is not None and v == version:
        print("ok %d - %s: version %s" % (n, name, v))
    else:
        failed = True
        print("not ok %d - %s: version %s, meson.build says %s" % (n, name, v, version))
    if name == "meson.build":
        continue
    n += 1
    if d is not None and d == date:
        print("ok %d - %s: date %s" % (n, name, d))
    else:
        failed = True
        print("not ok %d - %s: date %s, the metainfo says %s" % (n, name, d, date))
sys.exit(1 if failed else 0)
