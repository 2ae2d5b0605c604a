#!/usr/bin/env python3
"""Pick a small, varied seed corpus from a large one (docs/fuzzing.md).

    fuzz/pick_seeds.py BINARY SOURCE_DIR... -o OUT_DIR [-n 40]

BINARY is a libFuzzer target of the `fuzz` preset. Its merge mode
(-merge=1 -merge_control_file) runs every input of SOURCE_DIR once and records
the coverage edges and features each one reaches; then inputs are taken one at
a time, each the one that adds the most edges not yet reached (then the most
new features, then the smallest), until N are taken or nothing new is left.
They are copied into OUT_DIR under their own names.

The differential targets' own corpora (fuzz/corpus/interp_<target>/) were cut
this way from the type's corpus: their replay runs in every ctest run under
ASan, so they are kept to a few dozen inputs that still reach most of what the
whole corpus reaches.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def coverage_per_file(binary, sources):
    """{path: (edges, features, size)} from one libFuzzer merge pass."""
    with tempfile.TemporaryDirectory() as tmp:
        control = os.path.join(tmp, "control")
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        subprocess.run([binary, "-merge=1", f"-merge_control_file={control}", out, *sources],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        with open(control) as f:
            lines = f.read().splitlines()
    count = int(lines[0])
    paths = lines[2:2 + count]
    edges, features, sizes = {}, {}, {}
    for line in lines[2 + count:]:
        kind, _, rest = line.partition(" ")
        index, _, values = rest.partition(" ")
        if kind == "STARTED":
            sizes[int(index)] = int(values)
        elif kind == "FT":
            features[int(index)] = set(values.split())
        elif kind == "COV":
            edges[int(index)] = set(values.split())
    return {paths[i]: (edges.get(i, set()), features.get(i, set()), sizes[i])
            for i in sizes if i in features}


def pick(per_file, limit):
    reached_edges, reached_features, picked = set(), set(), []
    left = dict(per_file)
    while left and len(picked) < limit:
        def gain(item):
            e, f, size = item[1]
            return (len(e - reached_edges), len(f - reached_features), -size)
        path, (e, f, _) = max(sorted(left.items()), key=gain)
        if not (e - reached_edges) and not (f - reached_features):
            break
        picked.append(path)
        reached_edges |= e
        reached_features |= f
        del left[path]
    return picked, reached_edges, reached_features


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("sources", nargs="+")
    parser.add_argument("-o", "--out", required=True)
    parser.add_argument("-n", "--count", type=int, default=40)
    args = parser.parse_args()
    per_file = coverage_per_file(args.binary, args.sources)
    picked, edges, features = pick(per_file, args.count)
    all_edges = set().union(*(e for e, _, _ in per_file.values()))
    all_features = set().union(*(f for _, f, _ in per_file.values()))
    os.makedirs(args.out, exist_ok=True)
    for path in picked:
        shutil.copy(path, os.path.join(args.out, os.path.basename(path)))
    print(f"{len(picked)} of {len(per_file)} inputs: {len(edges)} of {len(all_edges)} edges, "
          f"{len(features)} of {len(all_features)} features", file=sys.stderr)


if __name__ == "__main__":
    main()
