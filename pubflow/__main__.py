import sys

from pubflow.cli import main

sys.exit(main())
