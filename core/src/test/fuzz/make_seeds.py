"""Builds the seed corpus of ReaderFuzzTest (run: python3 core/src/test/fuzz/make_seeds.py).

Small, valid files of every format the readers accept, so that fuzzing starts from inputs that
reach deep into each reader. Findings (inputs that once failed) sit beside the seeds and are kept.
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "org", "rnn4j", "fuzz", "ReaderFuzzTestInputs")
rng = np.random.default_rng(7)


def put(method, name, data):
    d = os.path.join(OUT, method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def npy_bytes(a, **kw):
    b = io.BytesIO()
    np.lib.format.write_array(b, a, **kw)
    return b.getvalue()


# .npy: the dtypes, orders and versions rnn4j converts
a = rng.standard_normal((2, 3)).astype(np.float32)
put("npy", "f4", npy_bytes(a))
put("npy", "f8_v2", npy_bytes(a.astype(np.float64), version=(2, 0)))
put("npy", "f2_big_endian", npy_bytes(a.astype(">f2")))
put("npy", "i4_fortran", npy_bytes(np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3))))
put("npy", "bool_scalar", npy_bytes(np.array(True)))
put("npy", "u1_v3", npy_bytes(np.arange(4, dtype=np.uint8), version=(3, 0)))

# .npz: stored and deflated archives of np.savez(*arrays)
for name, compress in (("stored", False), ("deflated", True)):
    b = io.BytesIO()
    (np.savez_compressed if compress else np.savez)(b, a, np.ones(4, np.float32))
    put("npz", name, b.getvalue())

# Keras JSON configs: Keras 2 and Keras 3 styles, stacked and wrapped layers
lstm2 = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "LSTM", "config": {"name": "lstm", "units": 2, "batch_input_shape": [None, 3, 2],
                                      "return_sequences": True, "activation": "tanh",
                                      "recurrent_activation": "hard_sigmoid"}},
    {"class_name": "Dense", "config": {"name": "dense", "units": 1, "activation": "linear"}}]},
    "keras_version": "2.2.4", "backend": "tensorflow"}
put("json", "keras2_lstm_dense", json.dumps(lstm2).encode())


def k3(cls, config):
    return {"module": "keras.layers", "class_name": cls, "config": config, "registered_name": None}


gru3 = {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
    k3("InputLayer", {"batch_shape": [None, None, 2], "dtype": "float32", "name": "in"}),
    k3("Bidirectional", {"name": "bi", "merge_mode": "concat", "layer": k3("GRU", {"name": "gru", "units": 2, "reset_after": True})}),
    k3("Masking", {"name": "m", "mask_value": 0.0})]}}
put("json", "keras3_bidirectional_gru", json.dumps(gru3).encode())

# legacy full-model .h5 (model.save of Keras 2): config attribute plus weights by layer name
simple = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "SimpleRNN", "config": {"name": "rnn", "units": 2, "batch_input_shape": [None, 3, 2], "activation": "tanh"}}]}}
b = io.BytesIO()
with h5py.File(b, "w") as f:
    f.attrs["model_config"] = json.dumps(simple)
    f.attrs["keras_version"] = "2.3.1"
    g = f.create_group("model_weights")
    g.attrs["layer_names"] = [b"rnn"]
    r = g.create_group("rnn")
    names = [b"rnn/kernel:0", b"rnn/recurrent_kernel:0", b"rnn/bias:0"]
    r.attrs["weight_names"] = names
    for n, shape in zip(names, [(2, 2), (2, 2), (2,)]):
        r.create_dataset(n.decode(), data=rng.standard_normal(shape).astype(np.float32))
put("h5", "legacy_simple_rnn", b.getvalue())

# Keras 3 .keras archive: config.json, metadata.json and model.weights.h5 by object path
cfg = {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
    k3("InputLayer", {"batch_shape": [None, 3, 2], "dtype": "float32", "name": "in"}),
    k3("GRU", {"name": "gru", "units": 2, "reset_after": True})]}}
w = io.BytesIO()
with h5py.File(w, "w") as f:
    v = f.require_group("layers/gru/cell/vars")
    for i, shape in enumerate([(2, 6), (2, 6), (2, 6)]):
        v.create_dataset(str(i), data=rng.standard_normal(shape).astype(np.float32))
    f.require_group("layers/gru/vars")
    f.create_group("vars")
z = io.BytesIO()
with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_STORED) as zf:
    zf.writestr("metadata.json", json.dumps({"keras_version": "3.5.0"}))
    zf.writestr("config.json", json.dumps(cfg))
    zf.writestr("model.weights.h5", w.getvalue())
put("keras", "gru", z.getvalue())
