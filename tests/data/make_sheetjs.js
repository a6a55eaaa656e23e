// Write tests/data/campaign/sheetjs-ods/: each filled per-supplier workbook of
// campaign/original/ read and written back as .ods by SheetJS (the npm package `xlsx`, the
// library behind many web exports). SheetJS's ODS writer puts whitespace (newlines and
// indentation) between the cells of content.xml, which LibreOffice opens as usual.
//
//     npm install --prefix /tmp/sheetjs xlsx@0.18.5
//     NODE_PATH=/tmp/sheetjs/node_modules node tests/data/make_sheetjs.js
const fs = require("fs");
const path = require("path");
const XLSX = require("xlsx");

const here = __dirname;
const source = path.join(here, "campaign", "original");
const target = path.join(here, "campaign", "sheetjs-ods");
fs.mkdirSync(target, { recursive: true });
for (const name of fs.readdirSync(source).sort()) {
  if (!name.endsWith(".xlsx")) continue;
  const book = XLSX.read(fs.readFileSync(path.join(source, name)));
  const out = path.join(target, name.replace(/\.xlsx$/, ".ods"));
  XLSX.writeFile(book, out, { bookType: "ods" });
  console.log(`${out} (SheetJS ${XLSX.version})`);
}
