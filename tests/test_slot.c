/* test_slot.c: hash slots (analyze/slot.c) against a CRC-16/XMODEM written
 * here bit by bit from its definition (no table), the Redis Cluster
 * specification's examples, and the hash-tag edge cases of keyHashSlot
 * (redis src/cluster.h): the first '{' and the first '}' after it, "{}"
 * and an unclosed '{' hashing the whole key. The slots real servers
 * assigned (SLOT_INFO) are checked in test_cluster.c. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/slot.h"

/* poly 0x1021, init 0, MSB first, no reflection, no final xor */
static uint16_t crc_bitwise(const uint8_t *p, size_t n) {
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int b = 0; b < 8; b++) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}

/* keyHashSlot written from the cluster specification's pseudo code */
static unsigned slot_ref(const char *k, size_t n) {
    size_t s, e;
    for (s = 0; s < n; s++)
        if (k[s] == '{') break;
    if (s == n) return crc_bitwise((const uint8_t *)k, n) % 16384;
    for (e = s + 1; e < n; e++)
        if (k[e] == '}') break;
    if (e == n || e == s + 1) return crc_bitwise((const uint8_t *)k, n) % 16384;
    return crc_bitwise((const uint8_t *)k + s + 1, e - s - 1) % 16384;
}

static unsigned slot_str(const char *k) { return slot_of_key((const uint8_t *)k, strlen(k)); }

Test(slot, crc16_check_value) {
    cr_assert_eq(slot_crc16((const uint8_t *)"123456789", 9), 0x31c3);
    cr_assert_eq(slot_crc16((const uint8_t *)"", 0), 0);
    for (unsigned b = 0; b < 256; b++) {
        uint8_t c = (uint8_t)b;
        cr_assert_eq(slot_crc16(&c, 1), crc_bitwise(&c, 1), "byte %u", b);
    }
}

/* redis.io cluster specification and CLUSTER KEYSLOT examples */
Test(slot, specification_examples) {
    cr_assert_eq(slot_str("foo"), 12182);
    cr_assert_eq(slot_str("bar"), 5061);
    cr_assert_eq(slot_str("somekey"), 11058);
    cr_assert_eq(slot_str("foo{hash_tag}"), 2515);
    cr_assert_eq(slot_str("{user1000}.following"), slot_str("{user1000}.followers"));
    cr_assert_eq(slot_str("{user1000}.following"), slot_str("user1000"));
    cr_assert_eq(slot_str(""), 0);
}

Test(slot, hash_tag_edges) {
    size_t off = 99, n = 99;
    /* "{}": nothing between the braces, the whole key is hashed */
    cr_assert_not(slot_hash_tag((const uint8_t *)"{}", 2, &off, &n));
    cr_assert_eq(slot_str("{}"), crc_bitwise((const uint8_t *)"{}", 2) % 16384);
    /* an unclosed '{' */
    cr_assert_not(slot_hash_tag((const uint8_t *)"{", 1, &off, &n));
    cr_assert_eq(slot_str("{"), crc_bitwise((const uint8_t *)"{", 1) % 16384);
    cr_assert_eq(slot_str("user{1000"), crc_bitwise((const uint8_t *)"user{1000", 9) % 16384);
    /* only the first '{' counts: a later pair is not looked for */
    cr_assert_not(slot_hash_tag((const uint8_t *)"{}{a}", 5, &off, &n));
    cr_assert_eq(slot_str("{}{a}"), crc_bitwise((const uint8_t *)"{}{a}", 5) % 16384);
    cr_assert_neq(slot_str("{}{a}"), slot_str("a"));
    /* '}' before any '{' is plain text */
    cr_assert_eq(slot_str("}a{b}"), slot_str("b"));
    /* the tag runs to the first '}', and may hold a '{' */
    cr_assert(slot_hash_tag((const uint8_t *)"x{{a}}", 6, &off, &n));
    cr_assert_eq(off, 2);
    cr_assert_eq(n, 2);
    cr_assert_eq(slot_str("x{{a}}"), slot_str("{a"));
    cr_assert_eq(slot_str("a{b}c{d}"), slot_str("b"));
    /* bytes are bytes: NUL and high bytes inside a tag */
    const uint8_t bin[] = {'{', 0, 0xff, '}', 'z'};
    cr_assert(slot_hash_tag(bin, sizeof bin, &off, &n));
    cr_assert_eq(slot_of_key(bin, sizeof bin), crc_bitwise(bin + 1, 2) % 16384);
}

/* random keys over a small alphabet rich in braces: the module agrees with
 * the reference on every one */
Test(slot, random_keys_match_reference) {
    static const char alphabet[] = "{}ab:{}\x00\xff";
    srand(12345);
    char k[40];
    for (int i = 0; i < 200000; i++) {
        size_t n = (size_t)(rand() % 40);
        for (size_t j = 0; j < n; j++) k[j] = alphabet[rand() % (int)(sizeof alphabet - 1)];
        cr_assert_eq(slot_of_key((const uint8_t *)k, n), slot_ref(k, n), "key %d", i);
    }
}
