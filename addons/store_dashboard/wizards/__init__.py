from . import store_member_merge
