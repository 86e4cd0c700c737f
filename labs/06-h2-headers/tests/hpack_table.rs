//! The dynamic table on its own (task `dynamic_table`): what each entry
//! costs, which one goes first, and what a smaller bound does. The
//! decoder's tests (RFC 7541 C.3–C.6) exercise it again through blocks.

use bytes::Bytes;
use lab06_h2_headers::hpack::table::DynamicTable;

/// An entry whose name and value are `n` and `v` bytes long: it costs
/// `n + v + 32`.
fn entry(tag: u8, n: usize, v: usize) -> (Bytes, Bytes) {
    (Bytes::from(vec![tag; n]), Bytes::from(vec![b'v'; v]))
}

fn insert(table: &mut DynamicTable, (name, value): (Bytes, Bytes)) {
    table.insert(name, value);
}

/// The entries' first name bytes, newest first.
fn tags(table: &DynamicTable) -> Vec<u8> {
    table.iter().map(|(name, _)| name[0]).collect()
}

#[test]
fn dynamic_table_an_entry_costs_its_name_and_value_plus_32() {
    let mut table = DynamicTable::new(4096);
    assert_eq!(table.size(), 0);
    insert(&mut table, entry(b'a', 3, 5));
    assert_eq!(table.size(), 40);
    insert(&mut table, entry(b'b', 1, 0));
    assert_eq!(table.size(), 73);
    assert_eq!(table.len(), 2);
}

#[test]
fn dynamic_table_the_newest_entry_comes_first() {
    let mut table = DynamicTable::new(4096);
    for tag in [b'a', b'b', b'c'] {
        insert(&mut table, entry(tag, 1, 1));
    }
    assert_eq!(tags(&table), b"cba");
    assert_eq!(table.get(0).map(|(n, _)| n.clone()), Some(Bytes::from("c")));
}

#[test]
fn dynamic_table_evicts_the_oldest_entries_until_the_new_one_fits() {
    // Three entries of 40 in a table of 100: the third evicts the first.
    let mut table = DynamicTable::new(100);
    for tag in [b'a', b'b', b'c'] {
        insert(&mut table, entry(tag, 4, 4));
    }
    assert_eq!(tags(&table), b"cb");
    assert_eq!(table.size(), 80);
    // One of 90 needs both of them gone.
    insert(&mut table, entry(b'd', 29, 29));
    assert_eq!(tags(&table), b"d");
    assert_eq!(table.size(), 90);
}

#[test]
fn dynamic_table_filled_to_exactly_its_size_evicts_nothing() {
    let mut table = DynamicTable::new(80);
    insert(&mut table, entry(b'a', 4, 4));
    insert(&mut table, entry(b'b', 4, 4));
    assert_eq!(tags(&table), b"ba");
    assert_eq!(table.size(), 80);
}

#[test]
fn dynamic_table_keeps_an_entry_of_exactly_its_size() {
    let mut table = DynamicTable::new(40);
    insert(&mut table, entry(b'a', 1, 1));
    insert(&mut table, entry(b'b', 4, 4));
    assert_eq!(tags(&table), b"b");
    assert_eq!(table.size(), 40);
}

#[test]
fn dynamic_table_an_entry_larger_than_the_table_empties_it_and_is_not_added() {
    let mut table = DynamicTable::new(100);
    insert(&mut table, entry(b'a', 4, 4));
    insert(&mut table, entry(b'b', 35, 34)); // 101 bytes
    assert!(table.is_empty());
    assert_eq!(table.size(), 0);
    // The table still works afterwards.
    insert(&mut table, entry(b'c', 4, 4));
    assert_eq!(tags(&table), b"c");
}

#[test]
fn dynamic_table_a_smaller_bound_evicts_the_oldest_down_to_it() {
    let mut table = DynamicTable::new(4096);
    for tag in [b'a', b'b', b'c'] {
        insert(&mut table, entry(tag, 4, 4));
    }
    table.set_max_size(80);
    assert_eq!(
        (tags(&table), table.size(), table.max_size()),
        (b"cb".to_vec(), 80, 80)
    );
    table.set_max_size(79);
    assert_eq!((tags(&table), table.size()), (b"c".to_vec(), 40));
    // A larger bound evicts nothing and lets more in.
    table.set_max_size(120);
    insert(&mut table, entry(b'd', 4, 4));
    insert(&mut table, entry(b'e', 4, 4));
    assert_eq!((tags(&table), table.size()), (b"edc".to_vec(), 120));
    table.set_max_size(0);
    assert!(table.is_empty());
    assert_eq!(table.size(), 0);
}
