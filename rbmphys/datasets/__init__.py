"""Data sets: Bars, Bars-and-Stripes (generated) and MNIST (embedded 5k subset + IDX reader).

No download ever happens: everything is generated, seeded, or shipped inside the package.
"""

from ._bars import bars, bars_and_stripes, corrupt, stripes, train_test_split
from ._mnist import mnist, mnist_train_test, read_idx

__all__ = ["bars", "stripes", "bars_and_stripes", "train_test_split", "corrupt", "mnist",
           "mnist_train_test", "read_idx"]
