from . import store_member_adjust, store_member_unmask
