"""Data sets: Bars, Bars-and-Stripes, lattice free fields (generated) and MNIST (embedded 5k
subset + IDX reader).

No download ever happens: everything is generated, seeded, or shipped inside the package.
"""

from ._bars import bars, bars_and_stripes, corrupt, stripes, train_test_split
from ._lattice import (lattice_kernel, lattice_spectrum, random_rotation, rbm_weights_from_kernel,
                       sample_free_field)
from ._mnist import mnist, mnist_train_test, read_idx

__all__ = ["bars", "stripes", "bars_and_stripes", "train_test_split", "corrupt", "mnist",
           "mnist_train_test", "read_idx", "lattice_kernel", "lattice_spectrum",
           "sample_free_field", "rbm_weights_from_kernel", "random_rotation"]
