"""Writes readings.xlsx from readings.csv with the Python standard library only: codes and
texts as text cells, values as number cells where they are numbers, dates as real Excel dates,
so that the .xlsx test reads typed cells the way an office's workbook has them."""
import csv, datetime, pathlib, zipfile
from xml.sax.saxutils import escape

here = pathlib.Path(__file__).parent
rows = list(csv.reader(open(here / "readings.csv", encoding="utf-8")))

def cell(ref, text, header):
    if not header and ref[0] == "E" and text:
        day = datetime.datetime.strptime(text, "%d/%m/%Y" if "/" in text else "%Y-%m-%d")
        serial = (day - datetime.datetime(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if not header and ref[0] == "D":
        try:
            return f'<c r="{ref}"><v>{float(text)}</v></c>'
        except ValueError:
            pass
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'

sheet_rows = []
for r, row in enumerate(rows, start=1):
    cells = "".join(cell(f"{'ABCDEFGH'[c]}{r}", v, r == 1) for c, v in enumerate(row))
    sheet_rows.append(f'<row r="{r}">{cells}</row>')
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
files = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Chỉ tiêu" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
}
with zipfile.ZipFile(here / "readings.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in files.items():
        z.writestr(name, text)
