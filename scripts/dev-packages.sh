# pubflow's own test and benchmark tools, which a publication does not need: scripts/setup.sh
# adds these to its Debian packages when this file is there. pubflow init does not write it.
DEBIAN_PACKAGES+=(
  poppler-utils                # pdffonts, pdftotext, pdftoppm: the PDF tests read and picture the PDFs
  chromium                     # browser tests
  libatomic1                   # Playwright's bundled node driver links against it
  omegat                       # CAT tool the exchange tests run (console mode); brings a Java runtime and groovy
  time                         # GNU time: the coverage benchmark's peak memory of each command
)
