//! Contacts at scale (issue 4): 100,000 contacts beside 100,000 notes.
//!
//! ```sh
//! cargo bench --bench contacts                       # /tmp/contacts100k.db, 100,000 contacts
//! cargo bench --bench contacts -- --db /tmp/c.db --contacts 10000 --reps 5
//! ```
//!
//! When `--db` does not exist yet it starts as a copy of `/tmp/m100k.db` (the repository bench's
//! 100,000-note database, `cargo bench --bench repository -- CORPUS --db /tmp/m100k.db`), so the
//! palette is measured over notes and contacts together. Contacts missing up to `--contacts` are
//! made up deterministically (contact *i* is always the same person) and imported in batches of
//! 5,000; the index is then merged as the app does after an import. It times contact search,
//! the first page of the list, the go-to palette and saving a contact, and checks every search
//! and palette answer against a plain scan with Folio's own folding. Prints Markdown.

// A test (or bench) fails by panicking: unwrap and expect say where and why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{cpu_model, percentile, status_kb};
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use folio::db::{
    Birthday, ContactDraft, ContactId, ContactQuery, ContactSummary, GoToHit, IndexMerge,
    LabeledEmail, LabeledPhone, NoteId, NoteQuery, PostalAddress, Repository, Timestamp,
};
use folio::search::{PhoneDigits, PhoneQuery, fold, matches, parse_query};

struct Options {
    db: PathBuf,
    contacts: usize,
    reps: usize,
    notes_db: PathBuf,
}

fn options() -> Options {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut options = Options {
        db: PathBuf::from("/tmp/contacts100k.db"),
        contacts: 100_000,
        reps: 5,
        notes_db: PathBuf::from("/tmp/m100k.db"),
    };
    while let Some(arg) = args.next() {
        let value = args.next();
        match arg.as_str() {
            "--db" => options.db = value.map(PathBuf::from).unwrap_or(options.db),
            "--contacts" => {
                options.contacts = value
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(options.contacts)
            }
            "--reps" => {
                options.reps = value
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(options.reps)
                    .max(1)
            }
            "--notes-db" => options.notes_db = value.map(PathBuf::from).unwrap_or(options.notes_db),
            other => {
                eprintln!(
                    "unknown argument {other:?}; use --db PATH --contacts N --reps R [--notes-db PATH]"
                );
                std::process::exit(2);
            }
        }
    }
    options
}

/// SplitMix64: tiny, seedable, and good enough to make up address books.
struct Rng(u64);

impl Rng {
    fn seeded(seed: u64) -> Self {
        let mut rng = Rng(seed ^ 0x5eed_f011_0c0a_7ac7);
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Earlier entries come up more often (about twice as often as average for the first),
    /// as common names do.
    fn pick_skewed<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let (a, b) = (self.below(items.len()), self.below(items.len()));
        items[a.min(b)]
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect()
    }
}

/// A comma-separated list (kept as one string so it stays compact under rustfmt).
fn words(list: &'static str) -> Vec<&'static str> {
    list.split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect()
}

static GIVEN_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    Olivia, Liam, Emma, Noah, Amelia, Oliver, Sophia, Elijah, Mia, James, Charlotte, William,\
    Ava, Benjamin, Isabella, Lucas, Harper, Henry, Evelyn, Alexander, Maria, Mohammed, Fatima,\
    Ahmed, Aisha, Omar, Layla, Yusuf, Mariam, Hassan, Wei, Li, Jing, Hiroshi, Yuki, Haruto,\
    Sakura, Min-jun, Ji-woo, Seo-yeon, Arjun, Priya, Rahul, Ananya, Vikram, Deepika, Sanjay,\
    Kavya, Rohan, Meera, Zoë, Émile, Søren, Łukasz, José, Chloé, Björn, Jürgen, Małgorzata,\
    Ólafur, François, Inés, Mégane, Renée, Noé, Raphaël, Maël, Anaïs, Hélène, Jérôme, Ada, Adam,\
    Adrian, Adriana, Alan, Alice, Anna, Andrew, Anthony, Barbara, Brian, Carlos, Carmen,\
    Catherine, Chen, Christopher, Daniel, David, Diana, Dmitri, Elena, Elizabeth, Emily, Eric,\
    Erik, Eva, Felix, Fiona, Gabriel, George, Grace, Hannah, Igor, Ingrid, Isaac, Ivan, Jack,\
    Jacob, Jan, Jane, Jennifer, Jessica, Joanna, John, Jonas, Joseph, Juan, Julia, Karen,\
    Katarzyna, Kate, Katherine, Kevin, Klaus, Lars, Laura, Leon, Lina, Linda, Lisa, Lucia, Luis,\
    Magnus, Marco, Margaret, Mark, Martin, Matthew, Michael, Michelle, Miguel, Natalia, Nina,\
    Nikolai, Olga, Pablo, Patricia, Paul, Pedro, Peter, Piotr, Rachel, Rebecca, Richard, Robert,\
    Rosa, Samuel, Sara, Sarah, Sebastian, Sergei, Simon, Sofia, Stefan, Stephen, Susan, Sven,\
    Tatiana, Thomas, Tim, Tomás, Ursula, Valentina, Victor, Viktor, Wojciech, Xavier, Yara,\
    Yasmin, Zara, Zhang, Aleksandra, Agnieszka, Bogdan, Chidi, Chioma, Emeka, Ngozi, Kwame,\
    Amara, Thandiwe, Sipho, Nia, Kofi, Ayodele, Folake, Tunde, Mateo, Camila, Valeria, Santiago,\
    Lucía, Martina, Joaquín, Ximena, Renata, Álvaro, Íñigo, Nuño, Çağla, Gökhan, Şebnem, Oğuz",
    )
});

static FAMILY_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    Smith, Johnson, Williams, Brown, Jones, Garcia, García, Miller, Davis, Rodriguez, Rodríguez,\
    Martinez, Martínez, Hernandez, Hernández, Lopez, López, Gonzalez, Wilson, Anderson, Thomas,\
    Taylor, Moore, Jackson, Martin, Lee, Perez, Thompson, White, Harris, Sanchez, Clark,\
    Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Torres, Nguyen, Nguyễn,\
    Hill, Flores, Green, Adams, Nelson, Baker, Hall, Rivera, Campbell, Mitchell, Carter,\
    Roberts, Lovelace, Hopper, Turing, Curie, Noether, Hamilton, Müller, Schmidt, Schneider,\
    Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Schäfer, Koch, Bauer, Richter,\
    Klein, Wolf, Schröder, Neumann, Dubois, Lefèvre, Lefebvre, Moreau, Laurent, Simon, Michel,\
    Garnier, Fournier, Rousseau, Girard, Bonnet, Dupont, Lambert, Fontaine, Rossi, Russo,\
    Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo, Conti, De\
    Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Nowak, Kowalski, Wiśniewski,\
    Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, Szymański, Woźniak, Dąbrowski,\
    Jørgensen, Ørsted, Hansen, Nielsen, Pedersen, Andersen, Larsen, Sørensen, Rasmussen,\
    Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson, Persson, Svensson, Ångström,\
    Öztürk, Yılmaz, Kaya, Demir, Şahin, Çelik, Dvořák, Novák, Černý, Svoboda, Šimić, Horvat,\
    Kovačević, Ivanov, Smirnov, Kuznetsov, Popov, Sokolov, Petrov, Volkov, Wang, Li, Zhang, Liu,\
    Chen, Yang, Huang, Zhao, Wu, Zhou, Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto,\
    Nakamura, Kobayashi, Kato, Kim, Park, Choi, Jung, Kang, Cho, Yoon, Patel, Sharma, Singh,\
    Kumar, Gupta, Reddy, Iyer, Nair, Rao, Das, Okafor, Okonkwo, Adeyemi, Mensah, Boateng,\
    Mwangi, Otieno, Dlamini, Nkosi, Abebe, Haile, O'Brien, O'Connor, MacDonald, McCarthy,\
    Fitzgerald, Ó Súilleabháin, Núñez, Peña, Ibáñez",
    )
});

static NICKNAMES: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    Bobby, Lou, Doc, Sunny, Max, Kiki, Tex, Bea",
    )
});

static ORGANIZATIONS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    Northwind Traders, Contoso Ltd, Fabrikam Inc, Initech, Globex Corporation, Umbrella Labs,\
    Acme Corporation, Stark Industries, Wayne Enterprises, Tyrell Corporation, Cyberdyne\
    Systems, Soylent Foods, Hooli, Pied Piper, Vandelay Industries, Wonka Confectionery, Oscorp,\
    Aperture Science, Black Mesa Labs, Massive Dynamic, Dunder Mifflin, Gringotts Bank, Monarch\
    Solutions, Blue Sun, Weyland-Yutani, Zorg Industries, Krusty Krab, Los Pollos Hermanos,\
    Sterling Cooper, Prestige Worldwide, Bluth Company, Tech Solutions GmbH, Müller & Söhne,\
    Café Crème SARL, Nordic Design AB, Øresund Logistics, Kraków Software, São Paulo\
    Exportações, Zürich Insurance Group, Montréal Media, University of Oxford, City Hospital,\
    St. Mary's Clinic, Greenfield School, Riverside Library, Harbour Dental, Sunrise Bakery,\
    Mountain Outfitters, Blue Ocean Consulting, Red Rock Architects, Silverline Legal, Golden\
    Gate Partners, Evergreen Landscaping, Pinecrest Realty, Brightside Energy, Quantum Dynamics,\
    Helix Biotech, Atlas Freight, Orbit Telecom, Nimbus Cloud Labs",
    )
});

static JOB_TITLES: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    Engineer, Senior Engineer, Manager, Director, Accountant, Designer, Nurse, Doctor, Teacher,\
    Lawyer, Consultant, Sales Representative, Analyst, Product Manager, CEO, CTO, Chef,\
    Architect, Researcher, Librarian",
    )
});

static EMAIL_DOMAINS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    example.com, example.org, example.net, mail.example.org, post.example.com",
    )
});

static STREETS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    Main, High, Church, Station, Park, Mill, Oak, Elm, Maple, Cedar, Lake, Hill, River, Bahnhof,\
    Königs, Rue de la Paix, Calle Mayor, Via Roma",
    )
});

static STREET_KINDS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    Street, Road, Avenue, Lane, Way, Straße, -",
    )
});

static CITIES: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    Springfield|IL|USA, Portland|OR|USA, Austin|TX|USA, Boston|MA|USA, London||United Kingdom,\
    Manchester||United Kingdom, Edinburgh||United Kingdom, Paris||France, Lyon||France,\
    Montréal|QC|Canada, Toronto|ON|Canada, Berlin||Germany, München|Bayern|Germany,\
    Zürich|ZH|Switzerland, Kraków||Poland, København||Denmark, Malmö||Sweden, São\
    Paulo|SP|Brazil, Ciudad de México|CDMX|Mexico, Madrid||Spain, Roma||Italy, Tokyo||Japan,\
    Seoul||South Korea, Mumbai|MH|India, Lagos||Nigeria, Nairobi||Kenya, Sydney|NSW|Australia,\
    Auckland||New Zealand, Dublin||Ireland, Reykjavík||Iceland",
    )
});

static GROUPS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
    Family, Friends, Work, Colleagues, Clients, Suppliers, Book club, Football, Choir,\
    Neighbours, School parents, University, Old school, Doctors, Emergency, Volunteers,\
    Conference 2024, Conference 2025, Recruiters, Investors, Press, Band, Climbing, Running\
    club, Chess, Travel, Wedding guests, Holiday cards, Landlords, Services",
    )
});

/// Text as an email local part would have it: folded, ASCII letters and digits only.
fn ascii_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in fold(text).chars() {
        match c {
            'a'..='z' | '0'..='9' => slug.push(c),
            'ł' => slug.push('l'),
            'ø' => slug.push('o'),
            'æ' => slug.push_str("ae"),
            'œ' => slug.push_str("oe"),
            'đ' => slug.push('d'),
            'ı' => slug.push('i'),
            _ => {}
        }
    }
    slug
}

/// A phone number in one of the formats people store them in.
fn phone_number(rng: &mut Rng) -> String {
    let (exchange, line) = (rng.digits(3), rng.digits(4));
    match rng.below(6) {
        0 => format!("+1 (555) {exchange}-{line}"),
        1 => format!("555.{exchange}.{line}"),
        2 => format!("+44 20 7946 {line}"),
        3 => format!("tel:+1555{exchange}{line}"),
        4 => format!("(555) {exchange}-{line}"),
        _ => format!("+49 30 {}{} {line}", rng.digits(2), rng.digits(2)),
    }
}

/// Contact number `index`, the same person every run.
fn made_up_contact(index: u64) -> ContactDraft {
    let mut rng = Rng::seeded(index);
    let given = rng.pick_skewed(&GIVEN_NAMES);
    let family = rng.pick_skewed(&FAMILY_NAMES);
    let organization = if rng.chance(75) {
        rng.pick(&ORGANIZATIONS)
    } else {
        ""
    };
    let job_title = if !organization.is_empty() && rng.chance(60) {
        rng.pick(&JOB_TITLES)
    } else {
        ""
    };
    let display_name = if rng.chance(3) {
        format!("{} {family}", rng.pick(&NICKNAMES))
    } else {
        String::new()
    };
    let (g, f) = (ascii_slug(given), ascii_slug(family));
    let emails = (0..1 + rng.below(3))
        .map(|i| {
            let number = rng.below(100);
            let domain = rng.pick(&EMAIL_DOMAINS);
            let address = match (i + rng.below(3)) % 3 {
                0 => format!("{g}.{f}@{domain}"),
                1 => format!("{g}{f}{number}@{domain}"),
                _ if !organization.is_empty() => format!(
                    "{}{f}@{}.example",
                    g.chars().next().unwrap_or('x'),
                    ascii_slug(organization.split_whitespace().next().unwrap_or("org"))
                ),
                _ => format!("{g}_{f}{number}@{domain}"),
            };
            LabeledEmail {
                label: rng.pick(&["home", "work", ""]).to_owned(),
                address,
            }
        })
        .collect();
    let phones = (0..1 + rng.below(3))
        .map(|_| LabeledPhone {
            label: rng.pick(&["mobile", "home", "work", ""]).to_owned(),
            number: phone_number(&mut rng),
        })
        .collect();
    let addresses = if rng.chance(30) {
        let mut city = rng.pick(&CITIES).split('|');
        let mut part = || city.next().unwrap_or_default();
        let (locality, region, country) = (part(), part(), part());
        vec![PostalAddress {
            label: rng.pick(&["home", "work", ""]).to_owned(),
            po_box: String::new(),
            extended: if rng.chance(20) {
                format!("Apt {}", 1 + rng.below(40))
            } else {
                String::new()
            },
            street: format!(
                "{} {} {}",
                1 + rng.below(999),
                rng.pick(&STREETS),
                rng.pick(&STREET_KINDS).trim_matches('-')
            )
            .trim()
            .to_owned(),
            locality: locality.to_owned(),
            region: region.to_owned(),
            postal_code: rng.digits(5),
            country: country.to_owned(),
        }]
    } else {
        Vec::new()
    };
    let birthday = if rng.chance(60) {
        let year = rng.chance(80).then(|| 1940 + rng.below(66) as i32);
        Birthday::new(year, 1 + rng.below(12) as u8, 1 + rng.below(28) as u8)
    } else {
        None
    };
    let groups = (0..rng.below(3))
        .map(|_| rng.pick(&GROUPS).to_owned())
        .collect();
    ContactDraft {
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        display_name,
        organization: organization.to_owned(),
        job_title: job_title.to_owned(),
        birthday,
        notes: if rng.chance(10) {
            format!("Met at {}.", rng.pick(&GROUPS))
        } else {
            String::new()
        },
        favorite: rng.chance(4),
        emails,
        phones,
        addresses,
        groups,
        ..ContactDraft::default()
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// p50, p95 and max of some timings.
fn summary(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    (
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.95),
        sorted.last().copied().unwrap_or(f64::NAN),
    )
}

fn median(values: &[f64]) -> f64 {
    summary(values).0
}

fn check<T, E: std::fmt::Display>(what: &str, result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Pages per merge step: what the app does per idle step.
const MERGE_STEP_PAGES: i32 = 256;
const IMPORT_BATCH: usize = 5_000;
/// Contacts read per query when the bench loads them all for the reference scan.
const SCAN_BATCH: i64 = 5_000;

fn merge_index(repo: &mut Repository) -> (Duration, usize) {
    let started = Instant::now();
    let mut steps = 0;
    while check(
        "merge",
        repo.merge_search_index_step(MERGE_STEP_PAGES, IndexMerge::Everything),
    ) {
        steps += 1;
    }
    (started.elapsed(), steps)
}

/// A live contact as a plain scan sees it: its list order and its searchable text.
struct Scanned {
    key: String,
    /// The folded "family given" name, the other key the palette looks names up by.
    family_first: String,
    id: ContactId,
    document: String,
}

/// What the index holds for a contact (names, organisation, emails, phones, each phone's
/// digits), rebuilt from a list row. The row has the label instead of the display name; the
/// label is the display name when there is one, else made of fields the document holds anyway.
fn scanned(contact: &ContactSummary) -> Scanned {
    let mut document = String::new();
    for text in [
        contact.label.as_str(),
        &contact.given_name,
        &contact.family_name,
        &contact.organization,
    ]
    .into_iter()
    .chain(contact.emails.iter().map(|e| e.address.as_str()))
    .chain(contact.phones.iter().map(|p| p.number.as_str()))
    {
        document.push_str(&fold(text));
        document.push('\n');
    }
    for phone in &contact.phones {
        document.extend(phone.number.chars().filter(char::is_ascii_digit));
        document.push('\n');
    }
    let name = format!(
        "{} {}",
        contact.given_name.trim(),
        contact.family_name.trim()
    );
    let key = if name.trim().is_empty() {
        fold(&contact.label)
    } else {
        fold(name.trim())
    };
    let family_first = fold(
        format!(
            "{} {}",
            contact.family_name.trim(),
            contact.given_name.trim()
        )
        .trim(),
    );
    Scanned {
        key,
        family_first,
        id: contact.id,
        document,
    }
}

fn load_all_contacts(repo: &mut Repository) -> Vec<Scanned> {
    let mut all = Vec::new();
    loop {
        let page = check(
            "scan",
            repo.contacts_page(&ContactQuery {
                offset: all.len() as i64,
                limit: SCAN_BATCH,
                ..ContactQuery::default()
            }),
        );
        let done = (page.len() as i64) < SCAN_BATCH;
        all.extend(page.iter().map(scanned));
        if done {
            break;
        }
    }
    all.sort_by(|a, b| (&a.key, a.id).cmp(&(&b.key, b.id)));
    all
}

/// Live notes as the palette sees them: newest first, with the folded title.
fn load_all_note_titles(repo: &mut Repository) -> Vec<(Timestamp, NoteId, String)> {
    let mut all = Vec::new();
    let mut offset = 0;
    loop {
        let page = check(
            "notes scan",
            repo.notes_page(&NoteQuery {
                offset,
                limit: SCAN_BATCH,
                ..NoteQuery::default()
            }),
        );
        offset += page.len() as i64;
        let done = (page.len() as i64) < SCAN_BATCH;
        all.extend(page.into_iter().map(|n| (n.updated, n.id, fold(&n.title))));
        if done {
            break;
        }
    }
    all.sort_by_key(|n| std::cmp::Reverse((n.0, n.1)));
    all
}

/// The ids a scan finds for a contact search, in list order.
fn scan_contacts(all: &[Scanned], text: &str) -> Vec<ContactId> {
    let terms = parse_query(text);
    let number = PhoneQuery::parse(text, folio::db::phone_region());
    all.iter()
        .filter(|c| {
            matches(&c.document, &terms, PhoneDigits::Match)
                || number.as_ref().is_some_and(|n| n.matches(&c.document))
        })
        .map(|c| c.id)
        .collect()
}

struct SearchCase {
    kind: &'static str,
    text: String,
    times: Vec<f64>,
    /// The page alone (`contacts_page`), to tell the count's share from the page's.
    page_times: Vec<f64>,
    total: i64,
    page: Vec<ContactId>,
}

struct PaletteCase {
    text: String,
    times: Vec<f64>,
    /// The contacts half alone (`contacts_page` with the palette's limit).
    contact_times: Vec<f64>,
    hits: Vec<GoToHit>,
}

/// A sample contact whose first phone starts with `prefix`, found by walking the list.
fn sample_with_phone(repo: &mut Repository, total: i64, prefix: &str) -> Option<ContactSummary> {
    (1..200).find_map(|step| {
        let offset = (total * step / 211) % total.max(1);
        check(
            "sample",
            repo.contacts_page(&ContactQuery {
                offset,
                limit: 1,
                ..ContactQuery::default()
            }),
        )
        .into_iter()
        .find(|c| {
            c.phones
                .first()
                .is_some_and(|p| p.number.starts_with(prefix))
        })
    })
}

/// Phone numbers as typed in another format than stored, with what kind of rewrite it is.
fn phone_queries(repo: &mut Repository, total: i64) -> Vec<(&'static str, String)> {
    let digits = |s: &str| -> String { s.chars().filter(char::is_ascii_digit).collect() };
    let mut queries = Vec::new();
    if let Some(c) = sample_with_phone(repo, total, "+1 (555) ") {
        let d = digits(&c.phones[0].number); // 1555XXXYYYY
        queries.push(("phone, digits only", d[1..].to_owned()));
        queries.push((
            "phone, dashes",
            format!("{}-{}-{}", &d[1..4], &d[4..7], &d[7..]),
        ));
    }
    if let Some(c) = sample_with_phone(repo, total, "555.") {
        let d = digits(&c.phones[0].number); // 555XXXYYYY
        queries.push((
            "phone, (area) and dash",
            format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..]),
        ));
    }
    if let Some(c) = sample_with_phone(repo, total, "tel:") {
        let d = digits(&c.phones[0].number); // 1555XXXYYYY
        queries.push((
            "phone, dots",
            format!("{}.{}.{}", &d[1..4], &d[4..7], &d[7..]),
        ));
    }
    if let Some(c) = sample_with_phone(repo, total, "+44 ") {
        let d = digits(&c.phones[0].number); // 44207946YYYY
        queries.push(("phone, E.164", format!("+{d}")));
    }
    if let Some(c) = sample_with_phone(repo, total, "+49 ") {
        let d = digits(&c.phones[0].number); // 4930XXXXYYYY
        queries.push(("phone, partial digits", d[4..].to_owned()));
    }
    queries
}

fn email_queries(repo: &mut Repository, total: i64) -> Vec<(&'static str, String)> {
    let mut queries = vec![
        ("email, domain", "example.org".to_owned()),
        ("email, domain", "@example.net".to_owned()),
    ];
    let sample = check(
        "sample",
        repo.contacts_page(&ContactQuery {
            offset: total / 3,
            limit: 1,
            ..ContactQuery::default()
        }),
    );
    if let Some(email) = sample.first().and_then(|c| c.emails.first()) {
        let local = email.address.split('@').next().unwrap_or_default();
        queries.push(("email, user part", local.to_owned()));
        queries.push(("email, whole address", email.address.clone()));
    }
    queries
}

fn main() {
    let options = options();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("# Folio contacts benchmark (issue 4)\n");

    // The database: a copy of the 100,000-note one the first time.
    if !options.db.exists() {
        if options.notes_db.exists() {
            let started = Instant::now();
            check("copy", fs::copy(&options.notes_db, &options.db));
            println!(
                "- {} did not exist: copied {} (notes) to it in {:.1} s",
                options.db.display(),
                options.notes_db.display(),
                started.elapsed().as_secs_f64()
            );
        } else {
            println!(
                "- {} did not exist and there is no {} to copy: starting empty, so the palette \
                 is measured WITHOUT notes",
                options.db.display(),
                options.notes_db.display()
            );
        }
    }
    let started = Instant::now();
    let mut repo = check("open", Repository::open(&options.db));
    let open_time = started.elapsed();
    let upgraded = repo.backup_made().is_some();
    println!(
        "- Opened {} in {:.2} s{}",
        options.db.display(),
        open_time.as_secs_f64(),
        repo.backup_made().map_or(String::new(), |b| format!(
            " (schema upgraded and search index rebuilt; backup at {})",
            b.display()
        ))
    );
    println!(
        "- Machine: {}, {cores} cores; SQLite {}",
        cpu_model(),
        repo.sqlite_version().unwrap_or_default()
    );
    let counter = repo.count_queries();
    let notes = check("count notes", repo.count_notes(&NoteQuery::default()));

    // Import the contacts that are missing.
    let existing = check("count", repo.count_contacts(&ContactQuery::default())) as usize;
    let mut import = None;
    if existing < options.contacts {
        let started = Instant::now();
        let mut generating = Duration::ZERO;
        let mut statements = 0;
        let mut next = existing;
        while next < options.contacts {
            let end = (next + IMPORT_BATCH).min(options.contacts);
            let made = Instant::now();
            let drafts: Vec<ContactDraft> =
                (next..end).map(|i| made_up_contact(i as u64)).collect();
            generating += made.elapsed();
            let batch_started = Instant::now();
            counter.reset();
            check("import", repo.import_contacts(&drafts));
            statements += counter.get();
            let batch = batch_started.elapsed();
            next = end;
            eprintln!(
                "imported {next} contacts; this batch {:.0} contacts/s",
                drafts.len() as f64 / batch.as_secs_f64()
            );
        }
        let imported = options.contacts - existing;
        let import_time = started.elapsed().saturating_sub(generating);
        let (merge_time, merge_steps) = merge_index(&mut repo);
        check("checkpoint", repo.checkpoint());
        import = Some((imported, import_time, statements, merge_time, merge_steps));
    } else {
        // Earlier runs' saves leave small index segments; merge them as the app would.
        let (time, steps) = merge_index(&mut repo);
        println!(
            "- The database already holds {existing} live contacts: nothing imported (merging \
             leftover index segments: {steps} steps, {:.1} s)",
            time.as_secs_f64()
        );
    }
    let total = check("count", repo.count_contacts(&ContactQuery::default()));
    let file_size = fs::metadata(&options.db).map(|m| m.len()).unwrap_or(0);
    println!("- {total} live contacts and {notes} live notes");

    println!("\n## Import\n");
    println!("| what | figure |\n|---|---|");
    println!(
        "| open{} | {:.1} s |",
        if upgraded {
            " (schema upgraded: migration + index rebuild)"
        } else {
            ""
        },
        open_time.as_secs_f64()
    );
    if let Some((imported, time, statements, merge_time, merge_steps)) = import {
        println!(
            "| contacts imported, batches of {IMPORT_BATCH} (one transaction each) | {imported} |"
        );
        println!(
            "| import, database + index | {:.1} s = **{:.0} contacts/s** ({:.0} statements a contact) |",
            time.as_secs_f64(),
            imported as f64 / time.as_secs_f64(),
            statements as f64 / imported.max(1) as f64
        );
        println!(
            "| then merging the index, {merge_steps} steps of {MERGE_STEP_PAGES} pages | {:.1} s |",
            merge_time.as_secs_f64()
        );
    }
    println!(
        "| database file after checkpoint | {:.0} MB |",
        file_size as f64 / 1e6
    );
    for (table, bytes) in repo
        .storage_by_table()
        .unwrap_or_default()
        .iter()
        .filter(|(t, _)| t.starts_with("contact"))
    {
        println!("| … of which `{table}` | {:.1} MB |", *bytes as f64 / 1e6);
    }

    // Contact search: count + first page of 50 with emails and phones.
    let mut cases: Vec<(&'static str, String)> = [
        ("given name", "olivia"),
        ("given name", "Mohammed"),
        ("given name", "Zoë"),
        ("given name", "Søren"),
        ("family name", "Nakamura"),
        ("family name", "García"),
        ("family name", "lovelace"),
        ("accents left out", "zoe"),
        ("accents left out", "emile"),
        ("accents left out", "jose"),
        ("accents left out", "muller"),
        ("accents left out, ø ł", "soren"),
        ("accents left out, ø ł", "lukasz"),
        ("partial name", "mich"),
        ("partial name", "ale"),
        ("partial name", "kat"),
        ("partial name", "naka"),
        ("organisation", "Northwind"),
        ("organisation", "labs"),
        ("organisation", "initech"),
        ("two characters", "an"),
        ("two characters", "zo"),
        ("two characters", "li"),
        ("two words", "maria garcia"),
        ("two words", "ada lov"),
        ("two words", "john sm"),
        ("nothing", "qxzvwk"),
    ]
    .into_iter()
    .map(|(k, t)| (k, t.to_owned()))
    .collect();
    cases.extend(email_queries(&mut repo, total));
    cases.extend(phone_queries(&mut repo, total));
    let mut searches: Vec<SearchCase> = Vec::new();
    let mut search_statements = 0;
    for (kind, text) in cases {
        let mut case = SearchCase {
            kind,
            text,
            times: Vec::new(),
            page_times: Vec::new(),
            total: 0,
            page: Vec::new(),
        };
        for _ in 0..options.reps {
            let query = ContactQuery {
                search: case.text.clone(),
                limit: 50,
                ..ContactQuery::default()
            };
            counter.reset();
            let started = Instant::now();
            let page = check("search", repo.list_contacts(&query));
            case.times.push(ms(started.elapsed()));
            search_statements = search_statements.max(counter.get());
            case.total = page.total;
            case.page = page.items.iter().map(|c| c.id).collect();
            let started = Instant::now();
            check("search page", repo.contacts_page(&query));
            case.page_times.push(ms(started.elapsed()));
        }
        searches.push(case);
    }

    // The first page of the list, with emails and phones; and how many statements it takes.
    let mut page_times = Vec::new();
    let mut list_times = Vec::new();
    let mut count_times = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let page = check("page", repo.contacts_page(&ContactQuery::default()));
        page_times.push(ms(started.elapsed()));
        assert_eq!(page.len() as i64, total.min(50));
        let started = Instant::now();
        let page = check("list", repo.list_contacts(&ContactQuery::default()));
        list_times.push(ms(started.elapsed()));
        assert_eq!(page.total, total);
        let started = Instant::now();
        check("count", repo.count_contacts(&ContactQuery::default()));
        count_times.push(ms(started.elapsed()));
    }
    let mut statements_by_limit = Vec::new();
    for limit in [10, 50, 500] {
        let query = ContactQuery {
            limit,
            ..ContactQuery::default()
        };
        counter.reset();
        check("page", repo.contacts_page(&query));
        let page = counter.get();
        counter.reset();
        check("list", repo.list_contacts(&query));
        statements_by_limit.push((limit, page, counter.get()));
    }

    // The palette, as a user types: every prefix of these inputs, each once.
    let mut typed: Vec<String> = Vec::new();
    for input in [
        "adam",
        "love",
        "zoë",
        "zoe",
        "mars",
        "the",
        "zebra",
        "brest",
        "karen",
        "sters",
        "north",
        "555",
        "ada l",
        "olivia ga",
    ] {
        for (end, c) in input.char_indices() {
            let prefix = input[..end + c.len_utf8()].trim_end().to_owned();
            if !typed.contains(&prefix) {
                typed.push(prefix);
            }
        }
    }
    let mut palette: Vec<PaletteCase> = Vec::new();
    counter.reset();
    check("go to", repo.go_to("ada", 8));
    let palette_statements = counter.get();
    for text in typed {
        let mut times = Vec::new();
        let mut contact_times = Vec::new();
        let mut hits = Vec::new();
        for _ in 0..options.reps {
            let started = Instant::now();
            hits = check("go to", repo.go_to(&text, 8));
            times.push(ms(started.elapsed()));
            // The contacts half of the palette alone, as `go_to` asks for it.
            let started = Instant::now();
            check(
                "palette contacts",
                repo.contacts_page(&ContactQuery {
                    search: text.clone(),
                    limit: 8,
                    ..ContactQuery::default()
                }),
            );
            contact_times.push(ms(started.elapsed()));
        }
        palette.push(PaletteCase {
            text,
            times,
            contact_times,
            hits,
        });
    }
    let rss_measured = status_kb("VmHWM:").unwrap_or(0);

    // Check every answer against a plain scan with Folio's folding.
    let started = Instant::now();
    let all = load_all_contacts(&mut repo);
    let titles = load_all_note_titles(&mut repo);
    let scan_load = started.elapsed();
    let mut mismatches = Vec::new();
    let mut scan_counts = Vec::new();
    for case in &searches {
        let found = scan_contacts(&all, &case.text);
        let expected_page: Vec<ContactId> = found.iter().take(50).copied().collect();
        if case.total != found.len() as i64 || case.page != expected_page {
            mismatches.push(format!(
                "search {:?}: {} found, the scan {}{}",
                case.text,
                case.total,
                found.len(),
                if case.page != expected_page {
                    " (first page differs)"
                } else {
                    ""
                }
            ));
        }
        scan_counts.push(found.len());
    }
    // The palette filters by terms of 3+ characters (or, with only shorter ones typed, by the
    // longest of them) and ranks by the rest; it takes the first 24 of each kind in list
    // order. So every hit must match the filtering terms, come from those first 24, and each
    // kind must show min(8, all matches) hits.
    for PaletteCase { text, hits, .. } in &palette {
        let terms = parse_query(text);
        let mut filtering: Vec<_> = terms
            .iter()
            .filter(|t| t.char_count() >= 3)
            .cloned()
            .collect();
        let short_only = filtering.is_empty();
        if short_only {
            filtering.extend(terms.iter().max_by_key(|t| t.char_count()).cloned());
        }
        let contacts: Vec<ContactId> = all
            .iter()
            .filter(|c| matches(&c.document, &filtering, PhoneDigits::Match))
            .map(|c| c.id)
            .collect();
        let notes: Vec<NoteId> = titles
            .iter()
            .filter(|(_, _, title)| matches(title, &filtering, PhoneDigits::Ignore))
            .map(|(_, id, _)| *id)
            .collect();
        let mut got_contacts = Vec::new();
        let mut got_notes = Vec::new();
        for hit in hits {
            match hit {
                GoToHit::Contact { id, .. } => got_contacts.push(*id),
                GoToHit::Note { id, .. } => got_notes.push(*id),
            }
        }
        // With only short terms, the newest 2,000 index hits are ranked, and with one long
        // term the newest 20,000: beyond those, any match may show.
        let one_term = filtering.len() == 1;
        let window = |matches: usize| {
            if short_only || (one_term && matches > 20_000) {
                usize::MAX
            } else {
                24
            }
        };
        // Contacts whose name starts with what was typed are candidates too.
        let typed = fold(text.trim());
        let named_with_prefix = |id: &ContactId| {
            all.iter().any(|c| {
                c.id == *id && (c.key.starts_with(&typed) || c.family_first.starts_with(&typed))
            })
        };
        let contacts_ok = got_contacts.len() == contacts.len().min(8)
            && got_contacts.iter().all(|id| {
                contacts
                    .iter()
                    .take(window(contacts.len()))
                    .any(|c| c == id)
                    || (named_with_prefix(id) && contacts.contains(id))
            });
        let notes_ok = got_notes.len() == notes.len().min(8)
            && got_notes
                .iter()
                .all(|id| notes.iter().take(window(notes.len())).any(|n| n == id));
        if !contacts_ok || !notes_ok {
            mismatches.push(format!(
                "palette {text:?}: {} contacts and {} notes, the scan {} and {}",
                got_contacts.len(),
                got_notes.len(),
                contacts.len(),
                notes.len()
            ));
        }
    }
    let sample_ids: Vec<ContactId> = all
        .iter()
        .step_by((all.len() / 200).max(1))
        .take(200)
        .map(|c| c.id)
        .collect();
    drop(all);
    drop(titles);

    // Saving a contact with all its rows: a name, an email and a phone changed.
    let mut rng = Rng::seeded(42);
    let mut save_times = Vec::new();
    let mut open_times = Vec::new();
    let mut save_statements = 0;
    for id in &sample_ids {
        let started = Instant::now();
        // What opening a contact's page reads: the contact (with its version) and its draft.
        let shown = check("contact", repo.contact(*id));
        let mut draft = check("draft", repo.contact_draft(*id));
        open_times.push(ms(started.elapsed()));
        draft.given_name = rng.pick(&GIVEN_NAMES).to_owned();
        let g = ascii_slug(&draft.given_name);
        match draft.emails.first_mut() {
            Some(email) => email.address = format!("{g}.{}@example.org", rng.below(1000)),
            None => draft.emails.push(LabeledEmail {
                label: "home".to_owned(),
                address: format!("{g}@example.org"),
            }),
        }
        match draft.phones.first_mut() {
            Some(phone) => phone.number = phone_number(&mut rng),
            None => draft.phones.push(LabeledPhone {
                label: "mobile".to_owned(),
                number: phone_number(&mut rng),
            }),
        }
        counter.reset();
        let started = Instant::now();
        let saved = check("save", repo.update_contact(*id, shown.version, &draft));
        save_times.push(ms(started.elapsed()));
        save_statements = counter.get();
        assert_eq!(saved.given_name, draft.given_name);
    }
    let rss_total = status_kb("VmHWM:").unwrap_or(0);

    // Report.
    println!(
        "\n## Contact search at {total} contacts (count + first page of 50 with emails and phones; median of {} runs per query)\n",
        options.reps
    );
    println!(
        "| kind | query | found | median ms | … of which the page alone |\n|---|---|---|---|---|"
    );
    for (case, count) in searches.iter().zip(&scan_counts) {
        println!(
            "| {} | `{}` | {} | {:.2} | {:.2} |",
            case.kind,
            case.text,
            count,
            median(&case.times),
            median(&case.page_times)
        );
    }
    let medians: Vec<f64> = searches.iter().map(|c| median(&c.times)).collect();
    let (search_p50, search_p95, search_max) = summary(&medians);
    let mut by_kind: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for case in &searches {
        let kind = case
            .kind
            .split([',', '('])
            .next()
            .unwrap_or(case.kind)
            .trim();
        by_kind.entry(kind).or_default().push(median(&case.times));
    }
    println!(
        "\n{} queries: p50 **{search_p50:.2} ms**, p95 {search_p95:.2} ms, max {search_max:.2} ms; at most {search_statements} SQL statements each.",
        searches.len()
    );
    println!(
        "By kind (p50 ms): {}",
        by_kind
            .iter()
            .map(|(k, v)| format!("{k} {:.2}", median(v)))
            .collect::<Vec<_>>()
            .join(", ")
    );

    println!("\n## Palette (go_to, 8 of each kind) at {notes} notes + {total} contacts\n");
    println!(
        "| typed | contacts | notes | median ms | max ms | contacts half alone, median ms |\n|---|---|---|---|---|---|"
    );
    let mut palette_all = Vec::new();
    let mut palette_medians = Vec::new();
    for PaletteCase {
        text,
        times,
        contact_times,
        hits,
    } in &palette
    {
        let contacts = hits
            .iter()
            .filter(|h| matches!(h, GoToHit::Contact { .. }))
            .count();
        let (p50, _, max) = summary(times);
        println!(
            "| `{text}` | {contacts} | {} | {p50:.2} | {max:.2} | {:.2} |",
            hits.len() - contacts,
            median(contact_times)
        );
        palette_all.extend(times);
        palette_medians.push(p50);
    }
    let (palette_p50, palette_p95, _) = summary(&palette_medians);
    let (_, _, palette_max) = summary(&palette_all);
    println!(
        "\n{} inputs: p50 **{palette_p50:.2} ms**, p95 {palette_p95:.2} ms, slowest single call {palette_max:.2} ms; {palette_statements} SQL statements a call.",
        palette.len()
    );

    println!(
        "\nEvery answer checked against a plain scan ({:.1} s to load all contacts and note titles): {}",
        scan_load.as_secs_f64(),
        if mismatches.is_empty() {
            "all search counts and first pages equal, and every palette hit among the matches it may show.".to_owned()
        } else {
            format!("{} MISMATCHES: {}", mismatches.len(), mismatches.join("; "))
        }
    );

    let (page_p50, page_p95, _) = summary(&page_times);
    let (list_p50, list_p95, _) = summary(&list_times);
    let (count_p50, count_p95, _) = summary(&count_times);
    let (save_p50, save_p95, save_max) = summary(&save_times);
    let (open_p50, open_p95, _) = summary(&open_times);
    println!("\n## List and save\n");
    println!("| operation | p50 ms | p95 ms |\n|---|---|---|");
    println!(
        "| first page of 50 with emails and phones, `contacts_page` (200 runs) | {page_p50:.3} | {page_p95:.3} |"
    );
    println!(
        "| the same with the count, `list_contacts` (200 runs) | {list_p50:.3} | {list_p95:.3} |"
    );
    println!(
        "| the count of all live contacts alone, `count_contacts` (200 runs) | {count_p50:.3} | {count_p95:.3} |"
    );
    println!(
        "| open a contact for editing, `contact_draft` ({} contacts) | {open_p50:.3} | {open_p95:.3} |",
        open_times.len()
    );
    println!(
        "| save a contact with all its rows, `update_contact` ({} contacts; max {save_max:.1}) | {save_p50:.3} | {save_p95:.3} |",
        save_times.len()
    );
    println!(
        "\nSQL statements per call, by page size: {}; a save: {save_statements}.",
        statements_by_limit
            .iter()
            .map(|(limit, page, list)| format!(
                "limit {limit}: `contacts_page` {page}, `list_contacts` {list}"
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    println!(
        "\nPeak RSS: {:.0} MB while measuring, {:.0} MB for the whole run (the scan's copy of every contact and note title included).",
        rss_measured as f64 / 1024.0,
        rss_total as f64 / 1024.0
    );

    println!("\n## Summary\n");
    println!("| operation | target | measured | |\n|---|---|---|---|");
    let verdict = |ok: bool| if ok { "✓" } else { "✗" };
    println!(
        "| contact search, {} queries, p50 (p95) | ≤ 10 ms | {search_p50:.2} ms ({search_p95:.2}) | {} |",
        searches.len(),
        verdict(search_p50 <= 10.0)
    );
    println!(
        "| first page of 50 with emails and phones, p50 (with count) | ≤ 3 ms | {page_p50:.2} ms ({list_p50:.2}) | {} |",
        verdict(page_p50 <= 3.0)
    );
    let fixed = statements_by_limit.iter().all(|(_, page, list)| {
        (*page, *list) == (statements_by_limit[0].1, statements_by_limit[0].2)
    });
    println!(
        "| SQL statements for a page, limit 10 / 50 / 500 | fixed | {} | {} |",
        statements_by_limit
            .iter()
            .map(|(_, page, list)| format!("{page} ({list} with count)"))
            .collect::<Vec<_>>()
            .join(" / "),
        verdict(fixed)
    );
    println!(
        "| save a contact with all its rows, p50 (p95) | ≤ 3 ms | {save_p50:.2} ms ({save_p95:.2}) | {} |",
        verdict(save_p50 <= 3.0)
    );
    println!(
        "| palette at {notes} notes + {total} contacts, p50 / p95 / max | ≤ 20 ms | {palette_p50:.2} / {palette_p95:.2} / {palette_max:.2} ms | {} |",
        verdict(palette_max <= 20.0)
    );
    if let Some((imported, time, _, merge_time, _)) = import {
        println!(
            "| import, batches of {IMPORT_BATCH} | | {:.0} contacts/s, then {:.1} s merging | |",
            imported as f64 / time.as_secs_f64(),
            merge_time.as_secs_f64()
        );
    }
    println!(
        "| peak RSS while measuring (whole run) | | {:.0} MB ({:.0}) | |",
        rss_measured as f64 / 1024.0,
        rss_total as f64 / 1024.0
    );
    println!(
        "| answers equal to a plain scan | all | {} | {} |",
        if mismatches.is_empty() {
            "all".to_owned()
        } else {
            format!("{} differ", mismatches.len())
        },
        verdict(mismatches.is_empty())
    );
}
