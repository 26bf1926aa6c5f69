# bench/lib.sh - what the benchmark scripts share: a figure printed beside
# its target (docs/PERFORMANCE.md, issue targets), and medians.
#   . bench/lib.sh

# NAME VALUE TARGET: one aligned line.
row() { printf '  %-38s %-40s target %s\n' "$1" "$2" "$3"; }

# The median of the numbers on stdin, one per line ("-" when none).
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'; }

# The distinct connections (protocol and both ends, either direction) in a
# --json output, one per line, sorted: two runs' sets compare with comm.
flow_keys() { # FILE
    python3 -c '
import json, sys
keys = set()
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    a = (str(r.get("src_ip")), str(r.get("src_port")))
    b = (str(r.get("dst_ip")), str(r.get("dst_port")))
    keys.add(" ".join([str(r.get("proto"))] + [x for e in sorted([a, b]) for x in e]))
print("\n".join(sorted(keys)))' "$1"
}
