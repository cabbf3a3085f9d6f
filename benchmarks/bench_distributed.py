"""Benchmark and check: data-parallel training with `keras.distribution` (the engine's `training_devices`).

Trains the same EfficientNet-Lite0 classifier with the engine (`train_classifier`: head, then fine-tuning with
BatchNormalization frozen) on 1 device and on N devices, same seed and global batch, and prints the devices,
images per second and the per-epoch losses of each. On a CPU, N virtual devices come from XLA:

    KERAS_BACKEND=jax XLA_FLAGS=--xla_force_host_platform_device_count=2 python benchmarks/bench_distributed.py

(virtual CPU devices share the same cores, so their images/s measures the overhead, not a speed-up).
On a GPU box it uses the accelerators. `--json PATH` writes the figures; tests/test_distributed.py reads them.
"""
import argparse, json, os, sys, time

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np


def run(devices: int, images: int, size: int, batch_size: int, epochs: int) -> dict:
    import keras
    from wbc_nb.train import build_classifier, train_classifier, training_devices
    rng = np.random.default_rng(0)  # a learnable toy: the class is the colour of the image, plus noise
    y = np.arange(images + 21) % 8  # 21 validation images: not a multiple of N
    x = np.clip(rng.integers(0, 256, (8, 3))[y][:, None, None] + rng.normal(0, 20, (len(y), size, size, 3)), 0, 255).astype(np.uint8)
    used = training_devices(devices)
    keras.utils.set_random_seed(0)
    model = build_classifier("efficientnet_lite0", "imagenet", size, dense=(16,))
    train_classifier(model, "efficientnet_lite0", x[:8], y[:8], x[-21:], y[-21:], head_epochs=0, finetune_epochs=1,
                     batch_size=8, augment=False, devices=used, seed=0)  # compiles the steps: not timed
    keras.utils.set_random_seed(0)
    model = build_classifier("efficientnet_lite0", "imagenet", size, dense=(16,))
    t0 = time.perf_counter()
    history = train_classifier(model, "efficientnet_lite0", x[:images], y[:images], x[-21:], y[-21:], head_epochs=1,
                               finetune_epochs=epochs - 1, unfreeze_fraction=1.0, batch_size=batch_size, patience=epochs,
                               augment=False, schedule="constant", devices=used, seed=0)
    seconds = time.perf_counter() - t0
    return {"devices": used, "images_per_s": round(images * len(history) / seconds, 1), "seconds": round(seconds, 2),
            "losses": [h["loss"] for h in history], "final_loss": history[-1]["loss"]}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devices", type=int, nargs="+", default=None, help="device counts to compare (default: 1 and all)")
    ap.add_argument("--images", type=int, default=256)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--batch-size", type=int, default=32, help="global batch, split across the devices")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()
    import keras
    counts = a.devices or sorted({1, len(keras.distribution.list_devices())})
    print(f"backend {keras.backend.backend()}; visible devices: {keras.distribution.list_devices()}")
    out = {}
    for n in counts:
        r = out[n] = run(n, a.images, a.size, a.batch_size, a.epochs)
        print(f"{n} device(s) {r['devices']}: {r['images_per_s']:.1f} images/s, {r['seconds']:.1f} s, "
              f"losses {', '.join(f'{l:.5f}' for l in r['losses'])}, final loss {r['final_loss']:.5f}")
    if a.json:
        with open(a.json, "w") as f: json.dump(out, f, indent=2)
