import os
import sys

# OpenBLAS starts one spinning thread per core when numpy loads: about 0.1 s of CPU per build for
# nothing, since the builder's matrix products are small. Must be set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from builder.cli import main  # noqa: E402 - after the environment is set

sys.exit(main())
