// @generated automatically by Diesel CLI.

diesel::table! {
    contact_addresses (id) {
        id -> Integer,
        contact_id -> Integer,
        position -> Integer,
        label -> Text,
        po_box -> Text,
        extended -> Text,
        street -> Text,
        locality -> Text,
        region -> Text,
        postal_code -> Text,
        country -> Text,
    }
}

diesel::table! {
    contact_dates (id) {
        id -> Integer,
        contact_id -> Integer,
        position -> Integer,
        label -> Text,
        year -> Nullable<Integer>,
        month -> Integer,
        day -> Integer,
    }
}

diesel::table! {
    contact_emails (id) {
        id -> Integer,
        contact_id -> Integer,
        position -> Integer,
        label -> Text,
        address -> Text,
    }
}

diesel::table! {
    contact_phones (id) {
        id -> Integer,
        contact_id -> Integer,
        position -> Integer,
        label -> Text,
        number -> Text,
    }
}

diesel::table! {
    contact_photos (contact_id) {
        contact_id -> Integer,
        media_type -> Text,
        url -> Text,
        bytes -> Binary,
    }
}

diesel::table! {
    contact_profiles (id) {
        id -> Integer,
        contact_id -> Integer,
        position -> Integer,
        service -> Text,
        handle -> Text,
    }
}

diesel::table! {
    contact_related (id) {
        id -> Integer,
        contact_id -> Integer,
        position -> Integer,
        label -> Text,
        name -> Text,
    }
}

diesel::table! {
    contact_tags (contact_id, tag_id) {
        contact_id -> Integer,
        tag_id -> Integer,
    }
}

diesel::table! {
    contact_thumbnails (contact_id) {
        contact_id -> Integer,
        jpeg -> Nullable<Binary>,
    }
}

diesel::table! {
    contact_websites (id) {
        id -> Integer,
        contact_id -> Integer,
        position -> Integer,
        label -> Text,
        url -> Text,
    }
}

diesel::table! {
    contacts (id) {
        id -> Integer,
        uuid -> Text,
        given_name -> Text,
        family_name -> Text,
        display_name -> Text,
        organization -> Text,
        job_title -> Text,
        birthday_year -> Nullable<Integer>,
        birthday_month -> Nullable<Integer>,
        birthday_day -> Nullable<Integer>,
        notes -> Text,
        favorite -> Bool,
        sort_given -> Text,
        sort_family -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
        card_extra -> Text,
        version -> BigInt,
        middle_name -> Text,
        name_prefix -> Text,
        name_suffix -> Text,
        nickname -> Text,
        department -> Text,
    }
}

diesel::table! {
    note_contacts (note_id, contact_id) {
        note_id -> Integer,
        contact_id -> Integer,
    }
}

diesel::table! {
    note_tags (note_id, tag_id) {
        note_id -> Integer,
        tag_id -> Integer,
    }
}

diesel::table! {
    notes (id) {
        id -> Integer,
        uuid -> Text,
        title -> Text,
        body -> Text,
        pinned -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
        version -> BigInt,
    }
}

diesel::table! {
    pending_upgrades (step) {
        step -> Text,
    }
}

diesel::table! {
    search_index_state (id) {
        id -> Integer,
        fold_version -> Integer,
    }
}

diesel::table! {
    tags (id) {
        id -> Integer,
        name -> Text,
        name_key -> Text,
    }
}

diesel::table! {
    attachment_blobs (hash) {
        hash -> Text,
        bytes -> Binary,
    }
}

diesel::table! {
    attachments (id) {
        id -> Integer,
        uuid -> Text,
        file_name -> Text,
        media_type -> Text,
        size -> BigInt,
        hash -> Text,
        created_at -> BigInt,
        unlinked_since -> Nullable<BigInt>,
    }
}

diesel::table! {
    note_attachments (note_id, attachment_id) {
        note_id -> Integer,
        attachment_id -> Integer,
    }
}

diesel::table! {
    note_revisions (id) {
        id -> BigInt,
        note_uuid -> Text,
        saved_at -> BigInt,
        kept_at -> BigInt,
        created_at -> BigInt,
        reason -> Text,
        title -> Text,
        tags -> Text,
        base_id -> Nullable<BigInt>,
        body_zstd -> Binary,
        body_bytes -> BigInt,
        content_hash -> Binary,
    }
}

diesel::table! {
    revision_attachments (revision_id, attachment_id) {
        revision_id -> BigInt,
        attachment_id -> Integer,
    }
}

diesel::joinable!(attachments -> attachment_blobs (hash));
diesel::joinable!(contact_addresses -> contacts (contact_id));
diesel::joinable!(contact_dates -> contacts (contact_id));
diesel::joinable!(contact_emails -> contacts (contact_id));
diesel::joinable!(contact_phones -> contacts (contact_id));
diesel::joinable!(contact_photos -> contacts (contact_id));
diesel::joinable!(contact_profiles -> contacts (contact_id));
diesel::joinable!(contact_related -> contacts (contact_id));
diesel::joinable!(contact_tags -> contacts (contact_id));
diesel::joinable!(contact_tags -> tags (tag_id));
diesel::joinable!(contact_thumbnails -> contacts (contact_id));
diesel::joinable!(contact_websites -> contacts (contact_id));
diesel::joinable!(note_attachments -> attachments (attachment_id));
diesel::joinable!(note_attachments -> notes (note_id));
diesel::joinable!(note_contacts -> contacts (contact_id));
diesel::joinable!(note_contacts -> notes (note_id));
diesel::joinable!(note_tags -> notes (note_id));
diesel::joinable!(note_tags -> tags (tag_id));
diesel::joinable!(revision_attachments -> attachments (attachment_id));
diesel::joinable!(revision_attachments -> note_revisions (revision_id));

diesel::allow_tables_to_appear_in_same_query!(
    attachment_blobs,
    attachments,
    contact_addresses,
    contact_dates,
    contact_emails,
    contact_phones,
    contact_photos,
    contact_profiles,
    contact_related,
    contact_tags,
    contact_thumbnails,
    contact_websites,
    contacts,
    note_attachments,
    note_revisions,
    revision_attachments,
    note_contacts,
    note_tags,
    notes,
    pending_upgrades,
    search_index_state,
    tags,
);
