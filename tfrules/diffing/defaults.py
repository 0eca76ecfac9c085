"""The defaults of `tfrules diff`, in a module of their own so that the
command's `--help` names them without importing Polars."""

#: sample households shown per rule and transition
DEFAULT_SAMPLES = 3
#: the seed those samples are drawn with
DEFAULT_SEED = 0
