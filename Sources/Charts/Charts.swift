import SPC
