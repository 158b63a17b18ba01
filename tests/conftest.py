import sys
from pathlib import Path

# tests/strategies.py is shared by the test modules
sys.path.insert(0, str(Path(__file__).parent))
