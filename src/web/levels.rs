//! The programme's recognised levels (`RecognitionLevel`) in words.

use super::words::Lang;

/// A level's name as offices write it; the API's value when it is not one we know.
pub fn level_name(lang: Lang, level: &str) -> String {
    let (vi, en) = match level {
        "NTM" => ("Đạt chuẩn NTM", "NTM standard met"),
        "NTM_NANG_CAO" => ("NTM nâng cao", "Advanced NTM"),
        "NTM_KIEU_MAU" => ("NTM kiểu mẫu", "Model NTM"),
        "NTM_HIEN_DAI" => ("NTM hiện đại", "Modern NTM"),
        "VAN_MINH_DO_THI" => ("Văn minh đô thị", "Civilised urban ward"),
        "VAN_MINH_DO_THI_KIEU_MAU" => ("Văn minh đô thị kiểu mẫu", "Model civilised urban ward"),
        "DO_THI_VAN_MINH" => ("Đô thị văn minh", "Civilised urban area"),
        "KHU_DAN_CU_KIEU_MAU" => ("Khu dân cư kiểu mẫu", "Model residential area"),
        "CHI_TIEU_DIA_PHUONG" => ("Đạt chỉ tiêu địa phương", "Local targets met"),
        "HUYEN_NTM" => ("Huyện đạt chuẩn NTM", "NTM district"),
        "HUYEN_NTM_NANG_CAO" => ("Huyện NTM nâng cao", "Advanced NTM district"),
        "HOAN_THANH_NHIEM_VU" => (
            "Hoàn thành nhiệm vụ xây dựng NTM",
            "NTM programme completed",
        ),
        other => return other.to_owned(),
    };
    lang.pick(vi, en).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_of_the_schema_has_a_name_in_both_languages() {
        let values = super::super::words::schema_enum("RecognitionLevel");
        assert!(values.len() >= 12, "{values:?}");
        for value in &values {
            for lang in [Lang::Vi, Lang::En] {
                assert_ne!(&level_name(lang, value), value, "{value} has no name");
            }
        }
    }
}
