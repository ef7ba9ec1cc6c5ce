"""Extraction throughput against a bare jieba pass over the same text, in one run.

    python bench/extract_speed.py                      # the seed pages, copied to ~4 MB
    python bench/extract_speed.py CORPUS_DIR --jobs 2  # e.g. a generated year

Prints MB/s of the whole extractor (read, decode, join, split, extract, write JSON Lines, as
`officialgraph extract` does) and of `jieba.lcut` over the decoded text in one process, and
their ratio. Bar (issue): extractor / jieba >= 1.0 with one job, >= 2.0 with --jobs 2.
"""
from __future__ import annotations

import argparse
import io
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

import jieba

from officialgraph.loaders.extract import extract_pages, page_files
from officialgraph.loaders.records import write_records
from officialgraph.loaders.text import read_page

ROOT = Path(__file__).resolve().parent.parent


def seed_corpus(target_mb: float, into: Path) -> Path:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    size, n = 0, 0
    while size < target_mb * 1e6:
        for seed in seeds:
            copy = into / f"{n:05d}_{seed.name}"
            shutil.copyfile(seed, copy)
            size += copy.stat().st_size
            n += 1
    return into


def time_extractor(files: list[Path], jobs: int) -> float:
    sink = io.StringIO()
    start = time.perf_counter()
    for result in extract_pages(files, jobs=jobs):
        write_records(result.records, sink)
    return time.perf_counter() - start


def time_jieba(texts: list[str]) -> float:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    start = time.perf_counter()
    for text in texts:
        tokenizer.lcut(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--mb", type=float, default=4.0, help="size of the seed copy corpus")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = args.paths or [str(seed_corpus(args.mb, Path(tmp)))]
        files = page_files(paths)
        texts = [read_page(f) for f in files]
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        time_extractor(files[:5], 1)  # warm the rule tables and the tokenizer
        # Rounds alternate, so a change in the machine's load falls on both sides alike.
        extractor = bare = 0.0
        for _ in range(args.rounds):
            extractor += time_extractor(files, args.jobs)
            bare += time_jieba(texts)
        mb *= args.rounds
    print(f"corpus      {len(files)} pages, {mb / args.rounds:.1f} MB (UTF-8), {args.rounds} rounds")
    print(f"jieba.lcut  {mb / bare:6.2f} MB/s  (1 process)")
    print(f"extract     {mb / extractor:6.2f} MB/s  (--jobs {args.jobs})")
    print(f"ratio       {bare / extractor:6.2f}  (extract / bare jieba)")


if __name__ == "__main__":
    sys.exit(main())
