/* Finds key names whose depth-1 prefix-node hash (agg_prefix.c:
 * XXH3_64bits_withSeed(name, len, 0 + 1)) has its low 19 bits below 512,
 * so that every node lands in one cluster of the linear-probing table.
 * Names use only the letters g..z: no separator, never an "id" segment.
 * usage: prefix_keys N crafted|plain > keys.txt */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    int crafted = strcmp(argv[2], "crafted") == 0;
    char k[32];
    unsigned long long ctr = 0;
    long found = 0;
    while (found < n) {
        unsigned long long v = ctr++;
        int len = 0;
        k[len++] = 'k';
        do { k[len++] = (char)('g' + v % 20); v /= 20; } while (v);
        XXH64_hash_t h = XXH3_64bits_withSeed(k, (size_t)len, 1);
        if (crafted && (h & 0x7FFFF) >= 512) continue;
        fwrite(k, 1, (size_t)len, stdout);
        fputc('\n', stdout);
        found++;
    }
    return 0;
}
