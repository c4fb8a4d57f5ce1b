//! Contacts written as CSV in Google Contacts' layout, which Google, Outlook and Apple's
//! importers read, with a spreadsheet-safe variant for Excel.

use super::{inert_in_a_spreadsheet, label_to_csv};
use crate::db::ContactDraft;

/// Every contact in Google Contacts' layout, with as many email, phone and address columns as
/// the contact with the most needs. `excel` starts the file with a byte order mark, which
/// Excel needs to read UTF-8, and keeps cells from running as formulas there.
pub fn write(contacts: &[ContactDraft], excel: bool) -> Result<Vec<u8>, csv::Error> {
    write_with(contacts, excel, b',')
}

/// [`write`] with the columns separated by `delimiter`: a semicolon for Excel in the locales
/// where the comma is the decimal mark (French, German, Italian…), which opens a
/// comma-separated file as one column.
pub fn write_with(
    contacts: &[ContactDraft],
    excel: bool,
    delimiter: u8,
) -> Result<Vec<u8>, csv::Error> {
    let most = |count: fn(&ContactDraft) -> usize| contacts.iter().map(count).max().unwrap_or(0);
    let emails = most(|c| c.emails.len()).max(1);
    let phones = most(|c| c.phones.len()).max(1);
    let addresses = most(|c| c.addresses.len()).max(1);
    let websites = most(|c| c.websites.len());
    let events = most(|c| c.dates.len());
    let relations = most(|c| c.related.len());
    let profiles = most(|c| c.profiles.len());
    let mut headers: Vec<String> = [
        "First Name",
        "Middle Name",
        "Last Name",
        "Name Prefix",
        "Name Suffix",
        "Nickname",
        "File As",
        "Organization Name",
        "Organization Title",
        "Organization Department",
        "Birthday",
        "Notes",
        "Photo",
        "Labels",
    ]
    .map(str::to_owned)
    .to_vec();
    for i in 1..=emails {
        headers.push(format!("E-mail {i} - Label"));
        headers.push(format!("E-mail {i} - Value"));
    }
    for i in 1..=phones {
        headers.push(format!("Phone {i} - Label"));
        headers.push(format!("Phone {i} - Value"));
    }
    for i in 1..=addresses {
        for part in [
            "Label",
            "Street",
            "City",
            "PO Box",
            "Region",
            "Postal Code",
            "Country",
            "Extended Address",
        ] {
            headers.push(format!("Address {i} - {part}"));
        }
    }
    for (kind, count) in [
        ("Relation", relations),
        ("Website", websites),
        ("Event", events),
    ] {
        for i in 1..=count {
            headers.push(format!("{kind} {i} - Label"));
            headers.push(format!("{kind} {i} - Value"));
        }
    }
    for i in 1..=profiles {
        headers.push(format!("IM {i} - Service"));
        headers.push(format!("IM {i} - Value"));
    }
    let mut out = Vec::new();
    if excel {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(&mut out);
        writer.write_record(&headers)?;
        for c in contacts {
            let mut labels = vec!["* myContacts".to_owned()];
            if c.favorite {
                labels.push("* starred".to_owned());
            }
            labels.extend(c.groups.iter().cloned());
            let mut row: Vec<String> = vec![
                c.given_name.clone(),
                c.middle_name.clone(),
                c.family_name.clone(),
                c.name_prefix.clone(),
                c.name_suffix.clone(),
                c.nickname.clone(),
                c.display_name.clone(),
                c.organization.clone(),
                c.job_title.clone(),
                c.department.clone(),
                c.birthday.map_or(String::new(), |b| b.iso()),
                c.notes.clone(),
                // A CSV cell holds Google's link to a photo, not the picture.
                c.photo.as_ref().map(|p| p.url.clone()).unwrap_or_default(),
                labels.join(" ::: "),
            ];
            for i in 0..emails {
                let email = c.emails.get(i);
                row.push(email.map_or(String::new(), |e| label_to_csv(&e.label)));
                row.push(email.map_or(String::new(), |e| e.address.clone()));
            }
            for i in 0..phones {
                let phone = c.phones.get(i);
                row.push(phone.map_or(String::new(), |p| label_to_csv(&p.label)));
                row.push(phone.map_or(String::new(), |p| p.number.clone()));
            }
            for i in 0..addresses {
                match c.addresses.get(i) {
                    Some(a) => row.extend([
                        label_to_csv(&a.label),
                        a.street.clone(),
                        a.locality.clone(),
                        a.po_box.clone(),
                        a.region.clone(),
                        a.postal_code.clone(),
                        a.country.clone(),
                        a.extended.clone(),
                    ]),
                    None => row.extend(std::iter::repeat_n(String::new(), 8)),
                }
            }
            let pairs = |count: usize, pairs: Vec<(String, String)>| {
                let mut pairs = pairs.into_iter();
                (0..count)
                    .flat_map(move |_| {
                        let (label, value) = pairs.next().unwrap_or_default();
                        [label, value]
                    })
                    .collect::<Vec<_>>()
            };
            row.extend(pairs(
                relations,
                c.related
                    .iter()
                    .map(|r| (label_to_csv(&r.label), r.name.clone()))
                    .collect(),
            ));
            row.extend(pairs(
                websites,
                c.websites
                    .iter()
                    .map(|w| (label_to_csv(&w.label), w.url.clone()))
                    .collect(),
            ));
            row.extend(pairs(
                events,
                c.dates
                    .iter()
                    .map(|d| (label_to_csv(&d.label), d.date.iso()))
                    .collect(),
            ));
            row.extend(pairs(
                profiles,
                c.profiles
                    .iter()
                    .map(|p| (p.service.clone(), p.handle.clone()))
                    .collect(),
            ));
            if excel {
                for cell in &mut row {
                    *cell = inert_in_a_spreadsheet(cell);
                }
            }
            writer.write_record(&row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}
