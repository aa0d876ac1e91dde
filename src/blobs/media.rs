//! Which files may be attached: a type is named by the file's extension, and the bytes must
//! look like it where the format has a signature (a PDF, a picture, an office document), so a
//! renamed executable is not taken for a scan.

/// The types offices attach by default: scans and photos of signed documents, office files.
pub const DEFAULT_TYPES: &str = "pdf,jpg,jpeg,png,docx,xlsx,doc,xls,odt,ods";

/// A file type by extension: its media type and the bytes its files begin with.
struct Kind {
    extension: &'static str,
    media_type: &'static str,
    signature: &'static [u8],
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

const KINDS: &[Kind] = &[
    Kind {
        extension: "pdf",
        media_type: "application/pdf",
        signature: b"%PDF-",
    },
    Kind {
        extension: "jpg",
        media_type: "image/jpeg",
        signature: b"\xFF\xD8\xFF",
    },
    Kind {
        extension: "jpeg",
        media_type: "image/jpeg",
        signature: b"\xFF\xD8\xFF",
    },
    Kind {
        extension: "png",
        media_type: "image/png",
        signature: b"\x89PNG\r\n\x1A\n",
    },
    Kind {
        extension: "docx",
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        signature: ZIP,
    },
    Kind {
        extension: "xlsx",
        media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        signature: ZIP,
    },
    Kind {
        extension: "doc",
        media_type: "application/msword",
        signature: OLE,
    },
    Kind {
        extension: "xls",
        media_type: "application/vnd.ms-excel",
        signature: OLE,
    },
    Kind {
        extension: "odt",
        media_type: "application/vnd.oasis.opendocument.text",
        signature: ZIP,
    },
    Kind {
        extension: "ods",
        media_type: "application/vnd.oasis.opendocument.spreadsheet",
        signature: ZIP,
    },
    Kind {
        extension: "txt",
        media_type: "text/plain; charset=utf-8",
        signature: b"",
    },
    Kind {
        extension: "csv",
        media_type: "text/csv; charset=utf-8",
        signature: b"",
    },
];

/// The extensions the service knows, for the settings' message.
pub fn known() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.extension).collect()
}

/// Whether `extension` is a type the service knows.
pub fn is_known(extension: &str) -> bool {
    KINDS.iter().any(|k| k.extension == extension)
}

/// The lowercase extension of `name`, if it has one.
pub fn extension(name: &str) -> Option<String> {
    let (stem, extension) = name.rsplit_once('.')?;
    (!stem.is_empty() && !extension.is_empty()).then(|| extension.to_ascii_lowercase())
}

/// The media type of a file named `name`; `None` when its extension is unknown.
pub fn media_type(name: &str) -> Option<&'static str> {
    let extension = extension(name)?;
    KINDS
        .iter()
        .find(|k| k.extension == extension)
        .map(|k| k.media_type)
}

/// Whether `bytes` begin as files of `name`'s type do (types without a signature: always;
/// text must be UTF-8).
pub fn looks_like(name: &str, bytes: &[u8]) -> bool {
    let Some(extension) = extension(name) else {
        return false;
    };
    match KINDS.iter().find(|k| k.extension == extension) {
        Some(kind) if kind.signature.is_empty() => std::str::from_utf8(bytes).is_ok(),
        Some(kind) => bytes.starts_with(kind.signature),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_is_named_by_its_extension_whatever_the_case() {
        assert_eq!(media_type("Biên bản.PDF"), Some("application/pdf"));
        assert_eq!(media_type("anh.jpeg"), Some("image/jpeg"));
        assert_eq!(media_type("no-extension"), None);
        assert_eq!(media_type(".pdf"), None);
        assert_eq!(media_type("virus.exe"), None);
    }

    #[test]
    fn the_bytes_must_look_like_the_named_type() {
        assert!(looks_like("a.pdf", b"%PDF-1.7\n..."));
        assert!(!looks_like("a.pdf", b"MZ\x90\x00 an executable"));
        assert!(looks_like("a.xlsx", b"PK\x03\x04rest"));
        assert!(!looks_like("a.png", b"%PDF-1.7"));
        assert!(looks_like("ghi-chu.txt", "ghi chú".as_bytes()));
        assert!(!looks_like("ghi-chu.txt", b"\xFF\xFE\x00"));
    }

    #[test]
    fn every_default_type_is_known() {
        for extension in DEFAULT_TYPES.split(',') {
            assert!(is_known(extension), "{extension}");
        }
    }
}
