//! Huffman coding for HPACK string literals (RFC 7541 §5.2, Appendix B).
//!
//! Decoding is a state machine over *nibbles*: the decoder walks the code's
//! binary tree four bits at a time, with every (node, nibble) transition
//! precomputed in [`DECODE`]. The table is built by a `const fn` at compile
//! time, so no string ever pays for building it. Four bits per step is the
//! classic trade-off (nghttp2 and h2 use it too): 256 states × 16 entries is
//! 12 KiB and stays in L1/L2, while a byte-wide table would be 16× larger.
//!
//! Because the shortest code is 5 bits, one nibble completes at most one
//! symbol, which keeps each table entry a single optional byte.

use super::DecodeError;

/// The HPACK Huffman code, RFC 7541 Appendix B: `CODES[symbol] = (code, bit length)`.
/// Symbol 256 is EOS, which must never appear in an encoded string.
pub(crate) static CODES: [(u32, u8); 257] = [
    (0x1ff8, 13),
    (0x7fffd8, 23),
    (0xfffffe2, 28),
    (0xfffffe3, 28),
    (0xfffffe4, 28),
    (0xfffffe5, 28),
    (0xfffffe6, 28),
    (0xfffffe7, 28),
    (0xfffffe8, 28),
    (0xffffea, 24),
    (0x3ffffffc, 30),
    (0xfffffe9, 28),
    (0xfffffea, 28),
    (0x3ffffffd, 30),
    (0xfffffeb, 28),
    (0xfffffec, 28),
    (0xfffffed, 28),
    (0xfffffee, 28),
    (0xfffffef, 28),
    (0xffffff0, 28),
    (0xffffff1, 28),
    (0xffffff2, 28),
    (0x3ffffffe, 30),
    (0xffffff3, 28),
    (0xffffff4, 28),
    (0xffffff5, 28),
    (0xffffff6, 28),
    (0xffffff7, 28),
    (0xffffff8, 28),
    (0xffffff9, 28),
    (0xffffffa, 28),
    (0xffffffb, 28),
    (0x14, 6),
    (0x3f8, 10),
    (0x3f9, 10),
    (0xffa, 12),
    (0x1ff9, 13),
    (0x15, 6),
    (0xf8, 8),
    (0x7fa, 11),
    (0x3fa, 10),
    (0x3fb, 10),
    (0xf9, 8),
    (0x7fb, 11),
    (0xfa, 8),
    (0x16, 6),
    (0x17, 6),
    (0x18, 6),
    (0x0, 5),
    (0x1, 5),
    (0x2, 5),
    (0x19, 6),
    (0x1a, 6),
    (0x1b, 6),
    (0x1c, 6),
    (0x1d, 6),
    (0x1e, 6),
    (0x1f, 6),
    (0x5c, 7),
    (0xfb, 8),
    (0x7ffc, 15),
    (0x20, 6),
    (0xffb, 12),
    (0x3fc, 10),
    (0x1ffa, 13),
    (0x21, 6),
    (0x5d, 7),
    (0x5e, 7),
    (0x5f, 7),
    (0x60, 7),
    (0x61, 7),
    (0x62, 7),
    (0x63, 7),
    (0x64, 7),
    (0x65, 7),
    (0x66, 7),
    (0x67, 7),
    (0x68, 7),
    (0x69, 7),
    (0x6a, 7),
    (0x6b, 7),
    (0x6c, 7),
    (0x6d, 7),
    (0x6e, 7),
    (0x6f, 7),
    (0x70, 7),
    (0x71, 7),
    (0x72, 7),
    (0xfc, 8),
    (0x73, 7),
    (0xfd, 8),
    (0x1ffb, 13),
    (0x7fff0, 19),
    (0x1ffc, 13),
    (0x3ffc, 14),
    (0x22, 6),
    (0x7ffd, 15),
    (0x3, 5),
    (0x23, 6),
    (0x4, 5),
    (0x24, 6),
    (0x5, 5),
    (0x25, 6),
    (0x26, 6),
    (0x27, 6),
    (0x6, 5),
    (0x74, 7),
    (0x75, 7),
    (0x28, 6),
    (0x29, 6),
    (0x2a, 6),
    (0x7, 5),
    (0x2b, 6),
    (0x76, 7),
    (0x2c, 6),
    (0x8, 5),
    (0x9, 5),
    (0x2d, 6),
    (0x77, 7),
    (0x78, 7),
    (0x79, 7),
    (0x7a, 7),
    (0x7b, 7),
    (0x7ffe, 15),
    (0x7fc, 11),
    (0x3ffd, 14),
    (0x1ffd, 13),
    (0xffffffc, 28),
    (0xfffe6, 20),
    (0x3fffd2, 22),
    (0xfffe7, 20),
    (0xfffe8, 20),
    (0x3fffd3, 22),
    (0x3fffd4, 22),
    (0x3fffd5, 22),
    (0x7fffd9, 23),
    (0x3fffd6, 22),
    (0x7fffda, 23),
    (0x7fffdb, 23),
    (0x7fffdc, 23),
    (0x7fffdd, 23),
    (0x7fffde, 23),
    (0xffffeb, 24),
    (0x7fffdf, 23),
    (0xffffec, 24),
    (0xffffed, 24),
    (0x3fffd7, 22),
    (0x7fffe0, 23),
    (0xffffee, 24),
    (0x7fffe1, 23),
    (0x7fffe2, 23),
    (0x7fffe3, 23),
    (0x7fffe4, 23),
    (0x1fffdc, 21),
    (0x3fffd8, 22),
    (0x7fffe5, 23),
    (0x3fffd9, 22),
    (0x7fffe6, 23),
    (0x7fffe7, 23),
    (0xffffef, 24),
    (0x3fffda, 22),
    (0x1fffdd, 21),
    (0xfffe9, 20),
    (0x3fffdb, 22),
    (0x3fffdc, 22),
    (0x7fffe8, 23),
    (0x7fffe9, 23),
    (0x1fffde, 21),
    (0x7fffea, 23),
    (0x3fffdd, 22),
    (0x3fffde, 22),
    (0xfffff0, 24),
    (0x1fffdf, 21),
    (0x3fffdf, 22),
    (0x7fffeb, 23),
    (0x7fffec, 23),
    (0x1fffe0, 21),
    (0x1fffe1, 21),
    (0x3fffe0, 22),
    (0x1fffe2, 21),
    (0x7fffed, 23),
    (0x3fffe1, 22),
    (0x7fffee, 23),
    (0x7fffef, 23),
    (0xfffea, 20),
    (0x3fffe2, 22),
    (0x3fffe3, 22),
    (0x3fffe4, 22),
    (0x7ffff0, 23),
    (0x3fffe5, 22),
    (0x3fffe6, 22),
    (0x7ffff1, 23),
    (0x3ffffe0, 26),
    (0x3ffffe1, 26),
    (0xfffeb, 20),
    (0x7fff1, 19),
    (0x3fffe7, 22),
    (0x7ffff2, 23),
    (0x3fffe8, 22),
    (0x1ffffec, 25),
    (0x3ffffe2, 26),
    (0x3ffffe3, 26),
    (0x3ffffe4, 26),
    (0x7ffffde, 27),
    (0x7ffffdf, 27),
    (0x3ffffe5, 26),
    (0xfffff1, 24),
    (0x1ffffed, 25),
    (0x7fff2, 19),
    (0x1fffe3, 21),
    (0x3ffffe6, 26),
    (0x7ffffe0, 27),
    (0x7ffffe1, 27),
    (0x3ffffe7, 26),
    (0x7ffffe2, 27),
    (0xfffff2, 24),
    (0x1fffe4, 21),
    (0x1fffe5, 21),
    (0x3ffffe8, 26),
    (0x3ffffe9, 26),
    (0xffffffd, 28),
    (0x7ffffe3, 27),
    (0x7ffffe4, 27),
    (0x7ffffe5, 27),
    (0xfffec, 20),
    (0xfffff3, 24),
    (0xfffed, 20),
    (0x1fffe6, 21),
    (0x3fffe9, 22),
    (0x1fffe7, 21),
    (0x1fffe8, 21),
    (0x7ffff3, 23),
    (0x3fffea, 22),
    (0x3fffeb, 22),
    (0x1ffffee, 25),
    (0x1ffffef, 25),
    (0xfffff4, 24),
    (0xfffff5, 24),
    (0x3ffffea, 26),
    (0x7ffff4, 23),
    (0x3ffffeb, 26),
    (0x7ffffe6, 27),
    (0x3ffffec, 26),
    (0x3ffffed, 26),
    (0x7ffffe7, 27),
    (0x7ffffe8, 27),
    (0x7ffffe9, 27),
    (0x7ffffea, 27),
    (0x7ffffeb, 27),
    (0xffffffe, 28),
    (0x7ffffec, 27),
    (0x7ffffed, 27),
    (0x7ffffee, 27),
    (0x7ffffef, 27),
    (0x7fffff0, 27),
    (0x3ffffee, 26),
    (0x3fffffff, 30),
];

/// Symbol number of EOS (end of string). A decoder that meets it must fail.
const EOS: u16 = 256;

/// Appends the Huffman encoding of `src` to `dst`, padded with the most
/// significant bits of EOS (all ones) to a whole number of bytes.
pub fn encode(src: &[u8], dst: &mut Vec<u8>) {
    dst.reserve(encoded_len(src));
    // Up to 7 pending bits plus one code of at most 30 bits fit in a u64.
    let mut acc: u64 = 0;
    let mut bits: u32 = 0;
    for &byte in src {
        let (code, len) = CODES[usize::from(byte)];
        acc = (acc << len) | u64::from(code);
        bits += u32::from(len);
        while bits >= 8 {
            bits -= 8;
            dst.push((acc >> bits) as u8);
        }
    }
    if bits > 0 {
        // Pad with ones: a prefix of EOS, never a whole symbol.
        dst.push(((acc << (8 - bits)) as u8) | (0xff >> bits));
    }
}

/// The length in bytes of `src` once Huffman-encoded.
pub fn encoded_len(src: &[u8]) -> usize {
    let bits: usize = src
        .iter()
        .map(|&b| usize::from(CODES[usize::from(b)].1))
        .sum();
    bits.div_ceil(8)
}

// lab:begin(huffman_decode) Decode a Huffman-coded string with the nibble table `DECODE`: two steps per byte (high nibble, then low); push `entry.symbol` when `entry.flags & EMIT != 0`, fail with `HuffmanEos` on `FAIL`, and at the end accept only if the last entry had `ACCEPT` (the padding rule), else `HuffmanPadding`.
/// Appends the decoding of the Huffman-coded `src` to `dst`.
///
/// Errors: [`DecodeError::HuffmanEos`] if the EOS symbol appears, and
/// [`DecodeError::HuffmanPadding`] if the string ends with more than seven
/// bits of padding or with padding that is not all ones (RFC 7541 §5.2).
pub fn decode(src: &[u8], dst: &mut Vec<u8>) -> Result<(), DecodeError> {
    // Each byte yields at most 8/5 symbols; reserving once keeps the pushes
    // below free of reallocation.
    dst.reserve(src.len() * 8 / 5 + 1);
    let mut state = 0usize;
    // An empty string is valid: no symbols, no padding.
    let mut accept = true;
    for &byte in src {
        for nibble in [byte >> 4, byte & 0x0f] {
            let entry = DECODE[state][usize::from(nibble)];
            if entry.flags & FAIL != 0 {
                return Err(DecodeError::HuffmanEos);
            }
            if entry.flags & EMIT != 0 {
                dst.push(entry.symbol);
            }
            state = usize::from(entry.next);
            accept = entry.flags & ACCEPT != 0;
        }
    }
    if accept {
        Ok(())
    } else {
        Err(DecodeError::HuffmanPadding)
    }
}
// lab:starter
// pub fn decode(src: &[u8], dst: &mut Vec<u8>) -> Result<(), DecodeError> {
//     todo!("huffman_decode: walk DECODE two nibbles per byte")
// }
// lab:end

/// One transition of the decoding state machine.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    /// The tree node (state) after consuming the nibble.
    pub(crate) next: u8,
    /// The symbol completed by this nibble, valid when `flags & EMIT`.
    pub(crate) symbol: u8,
    pub(crate) flags: u8,
}

/// This nibble completed a symbol: emit `symbol`.
pub(crate) const EMIT: u8 = 1;
/// This nibble completed EOS: the string is invalid.
pub(crate) const FAIL: u8 = 2;
/// The string may end here: the bits since the last symbol are at most
/// seven ones, i.e. valid padding.
pub(crate) const ACCEPT: u8 = 4;

/// Marks a child slot that holds a symbol rather than a node index.
const LEAF: u16 = 0x8000;

/// The code as a binary tree: `TREE[node][bit]` is a child node index or
/// `LEAF | symbol`. A complete prefix code with 257 leaves has 256 inner
/// nodes, so every node index fits in a `u8`; node 0 is the root.
const TREE: [[u16; 2]; 256] = build_tree();

/// `DECODE[state][nibble]`: the whole decoder, computed at compile time.
pub(crate) static DECODE: [[Entry; 16]; 256] = build_decode_table();

const fn build_tree() -> [[u16; 2]; 256] {
    let mut tree = [[0u16; 2]; 256];
    let mut next_node = 1u16;
    let mut symbol = 0;
    while symbol < CODES.len() {
        let (code, len) = CODES[symbol];
        let mut node = 0usize;
        let mut bit_index = len;
        // Walk (and create) the inner nodes for every bit but the last.
        while bit_index > 1 {
            bit_index -= 1;
            let bit = ((code >> bit_index) & 1) as usize;
            if tree[node][bit] == 0 {
                tree[node][bit] = next_node;
                next_node += 1;
            }
            node = tree[node][bit] as usize;
        }
        tree[node][(code & 1) as usize] = LEAF | symbol as u16;
        symbol += 1;
    }
    tree
}

/// Nodes reachable from the root by at most seven 1-bits: the only places a
/// string may end (its padding is a prefix of EOS, which is all ones).
const fn accepting_nodes() -> [bool; 256] {
    let mut accepting = [false; 256];
    let mut node = 0usize;
    let mut depth = 0;
    accepting[0] = true;
    while depth < 7 {
        let child = TREE[node][1];
        if child & LEAF != 0 {
            break;
        }
        node = child as usize;
        accepting[node] = true;
        depth += 1;
    }
    accepting
}

const fn build_decode_table() -> [[Entry; 16]; 256] {
    let accepting = accepting_nodes();
    let mut table = [[Entry {
        next: 0,
        symbol: 0,
        flags: 0,
    }; 16]; 256];
    let mut state = 0;
    while state < 256 {
        let mut nibble = 0;
        while nibble < 16 {
            let mut node = state;
            let mut entry = Entry {
                next: 0,
                symbol: 0,
                flags: 0,
            };
            let mut bit = 4;
            while bit > 0 {
                bit -= 1;
                let child = TREE[node][(nibble >> bit) & 1];
                if child & LEAF != 0 {
                    let symbol = child & !LEAF;
                    if symbol == EOS {
                        entry.flags |= FAIL;
                    } else {
                        entry.flags |= EMIT;
                        entry.symbol = symbol as u8;
                    }
                    node = 0;
                } else {
                    node = child as usize;
                }
            }
            entry.next = node as u8;
            if accepting[node] {
                entry.flags |= ACCEPT;
            }
            table[state][nibble] = entry;
            nibble += 1;
        }
        state += 1;
    }
    table
}
