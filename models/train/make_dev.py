"""Write the held-out dev splits as CSV for `rhetor eval TASK FILE` (standard library only).

    python3 models/train/make_dev.py            # -> .cache/dev/*.csv (git-ignored: corpus text
                                                #    is not committed, for licence reasons)
    python3 models/train/make_dev.py --out DIR

The splits are the same ones train.py holds out (data.py: md5-hash buckets or the corpus' own
test split), so they never overlap training data. Files:

  sentiment_sst_binary.csv   SST-5 test without neutral -> negative|positive (SST-2-style polarity)
  sentiment_sst_3class.csv   SST-5 test, 0-1 negative, 2 neutral, 3-4 positive
  sentiment_tweeteval.csv    TweetEval sentiment, our 10% hash split
  uncertainty_wiki.csv       Szeged Wikipedia, balanced certain|uncertain (speculation cues only)
  uncertainty_factbank.csv, uncertainty_bio.csv   the same for news and biomedical text
  bias_babe.csv              BABE SG2, our 15% hash split, neutral|biased
  bias_wikinpov.csv          MBIB Wikipedia NPOV, balanced (punctuation stripped by MBIB)
  stance_semeval2016.csv     header text,target,label (favor|against|none)
  technique_ptc.csv          label = technique names joined with "|" (empty: none)

Header is `text,label` (stance: `text,target,label`); fields are CSV-quoted where needed.
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

import data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / ".cache" / "dev")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for task, (_, dev) in data.load_all().items():
        for name, rows in dev.items():
            path = args.out / f"{task}_{name}.csv"
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                if task == "stance":
                    w.writerow(["text", "target", "label"])
                    w.writerows([r["text"], r["target"], r["label"]] for r in rows)
                elif task == "technique":
                    w.writerow(["text", "label"])
                    w.writerows([r["text"], "|".join(r["label"])] for r in rows)
                else:
                    w.writerow(["text", "label"])
                    w.writerows([r["text"], r["label"]] for r in rows)
            print(f"{path}  {len(rows)} rows")


if __name__ == "__main__":
    main()
