# Sourced by the scripts that score lpdump with ../shared/corpus's compare.py:
# exits 77 (ctest SKIP) with the reason when the corpus or python3 is missing.
# usage: . require_corpus.sh CORPUS
if [ ! -f "$1/compare.py" ]; then
  echo "SKIP: no corpus at $1 (../shared/corpus is not checked out here)"
  exit 77
fi
if ! command -v python3 >/dev/null; then
  echo "SKIP: python3 is not installed"
  exit 77
fi
