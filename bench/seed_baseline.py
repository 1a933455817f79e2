#!/usr/bin/python3
"""The seed's feature-extraction stack, timed: the baseline for target 2 of issue 6.

Stack: Debian's python3-torch + python3-torchvision (install with
`apt-get install -y python3-torch python3-torchvision python3-pil`) and Debian's own interpreter, /usr/bin/python3
(the pyenv python on PATH does not see Debian's packages).

What it times, like the seed's build_index.py: every JPEG of a folder is opened with PIL, converted to RGB, put
through torchvision's ImageNet eval transform (Resize(256), CenterCrop(224), ToTensor, Normalize), run through
resnet50 with fc = Identity under torch.no_grad(), and the 2048-d output is L2-normalised. The weights are random
(weights=None): cost is identical to the pretrained network, and nothing can be downloaded here.

Modes:
  per-image (default, what the seed does): one image per forward pass.
  batched (--batch N): N images per forward pass (decode + transform still per image), for reference.

A warm-up pass (a few images) precedes the timed passes; reported: the median and the best images/s over --passes
full passes (on a shared machine the best pass is the least disturbed one). Output: ONE JSON line on stdout, e.g.
  {"stack": "torch 1.13.1 / torchvision 0.14.1", "mode": "per-image", "images": 400, "images_per_s": 14.2, ...}
"""
import argparse
import json
import os
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="folder of JPEG images (searched recursively)")
    ap.add_argument("--passes", type=int, default=3, help="timed passes over the folder (median reported)")
    ap.add_argument("--batch", type=int, default=1, help="images per forward pass (1 = the seed's way)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N images (0 = all)")
    ap.add_argument("--warmup", type=int, default=8, help="images in the untimed warm-up pass")
    args = ap.parse_args()

    try:
        import torch
        import torchvision
        from torchvision import transforms
        from PIL import Image
    except ImportError as e:
        print(f"seed_baseline: {e}. Install the seed's stack with: apt-get install -y python3-torch "
              f"python3-torchvision python3-pil, and run this with /usr/bin/python3", file=sys.stderr)
        sys.exit(2)

    files = sorted(
        os.path.join(root, f)
        for root, _, names in os.walk(args.folder)
        for f in names
        if f.lower().endswith((".jpg", ".jpeg")))
    if args.limit > 0:
        files = files[: args.limit]
    if not files:
        print(f"seed_baseline: no .jpg/.jpeg files under {args.folder}", file=sys.stderr)
        sys.exit(2)

    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    model = torchvision.models.resnet50(weights=None)
    model.fc = torch.nn.Identity()
    model.eval()
    transform = transforms.Compose([
        transforms.Resize(256),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])

    def load(path):
        with Image.open(path) as im:
            return transform(im.convert("RGB"))

    def run_pass(paths):
        """Decode, transform and embed every path; returns the number of vectors made."""
        made = 0
        with torch.no_grad():
            for i in range(0, len(paths), args.batch):
                batch = torch.stack([load(p) for p in paths[i:i + args.batch]])
                feats = model(batch)
                feats = torch.nn.functional.normalize(feats, dim=1)
                made += feats.shape[0]
        return made

    run_pass(files[: max(1, min(args.warmup, len(files)))])
    rates = []
    for _ in range(max(1, args.passes)):
        t0 = time.perf_counter()
        n = run_pass(files)
        rates.append(n / (time.perf_counter() - t0))

    print(json.dumps({
        "stack": f"torch {torch.__version__} / torchvision {torchvision.__version__}",
        "python": sys.version.split()[0],
        "mode": "per-image" if args.batch == 1 else f"batch-{args.batch}",
        "threads": threads,
        "images": len(files),
        "passes": len(rates),
        "images_per_s": round(statistics.median(rates), 2),
        "best_images_per_s": round(max(rates), 2),
        "all_passes": [round(r, 2) for r in rates],
    }))


if __name__ == "__main__":
    main()
