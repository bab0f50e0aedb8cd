"""Regenerates the .npy/.npz fixtures of NpyTest with NumPy (run: python3 make_fixtures.py)."""
import io
import numpy as np

a = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7.0

np.save("f4_le.npy", a.astype("<f4"))
np.save("f4_be.npy", a.astype(">f4"))
np.save("f8_le.npy", a.astype("<f8"))
np.save("f8_be.npy", a.astype(">f8"))
np.save("f4_fortran.npy", np.asfortranarray(a.astype("<f4")))
np.save("f8_fortran_be.npy", np.asfortranarray(a.astype(">f8")))
np.save("f2.npy", np.array([0.5, -2.0, 65504.0, 6.1e-5, 1e-7, np.inf], dtype="<f2"))
np.save("i4.npy", np.array([[1, -2], [3, 2**31 - 1]], dtype="<i4"))
np.save("i8.npy", np.array([2**40 + 1, -5], dtype="<i8"))
np.save("u1.npy", np.array([0, 7, 255], dtype="u1"))
np.save("u8.npy", np.array([2**64 - 1, 3], dtype="<u8"))
np.save("b1.npy", np.array([True, False, True]))
np.save("scalar.npy", np.float32(3.5))
np.save("empty.npy", np.zeros((0, 3), dtype="<f4"))
with open("v2.npy", "wb") as f:
    np.lib.format.write_array(f, a.astype("<f4"), version=(2, 0))
np.save("unicode.npy", np.array(["abc", "de"]))
np.save("structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
np.save("complex.npy", np.zeros(2, dtype="<c8"))

full = io.BytesIO()
np.save(full, a.astype("<f4"))
data = full.getvalue()
with open("truncated_data.npy", "wb") as f:
    f.write(data[: len(data) - 10])
with open("truncated_header.npy", "wb") as f:
    f.write(data[:40])

np.savez("positional.npz", *[np.full((2,), i, dtype="<f4") for i in range(12)])
np.savez_compressed("compressed.npz", a.astype("<f4"), a.astype("<f8"))
np.savez("named.npz", output=a.astype("<f4"), state_0=a[0].astype("<f4"))
