"""The layer every counted call goes through.

``pipeline``: the one primitive (arguments -> cost -> charge -> run -> keep or refund ->
finish). ``protocol``: where mechestim arrays meet NumPy (unwrapping them anywhere in a
call, routing NumPy's ufunc and function protocols back to the counted ops).
``config``: the library-wide switches (``me.configure``).
"""
