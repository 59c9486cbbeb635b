"""Change forms that never silently overwrite what someone saved meanwhile.

The claim's forms compare a version (claims/forms.py). The desk's other
change forms (people, episodes, shows) compared nothing: the admin builds a
change form's initial values from the row as it is when the form is
*posted*, so every field of a page opened before another editor's save
counted as changed, and saving it wrote the page's old values back over
the other's (an editor's rename and profile link of a person, an episode's
date: found by a new user). ``KeepsConcurrentEdits`` gives each field the
value it was shown with (``show_hidden_initial``), and on save:

- a field the user left as shown takes the value saved now (it is left out
  of ``cleaned_data``, so the row's value stays);
- a field the user changed that someone else changed too since is refused
  with a field error; the form keeps the user's value and moves its
  baseline on, so saving again keeps the user's.

A client that posts no baseline (``initial-<name>``) is treated as before.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms


def as_posted(field: forms.Field, value) -> str:
    """A saved value as a browser posts it for this field."""
    value = field.prepare_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):  # 80, not 80.000000 (the stored scale)
        return format(value.normalize(), "f")
    return str(value)


CHANGED_MEANWHILE = (
    "Someone else changed this while you were editing it. Your value is kept "
    "here: save again to keep it, or reload the page to see theirs."
)


class KeepsConcurrentEdits(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for field in self.fields.values():
                field.show_hidden_initial = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        changed = set(self.changed_data)
        data = None
        for name, field in self.fields.items():
            bound = self[name]
            if bound.html_initial_name not in self.data:
                continue
            shown = self._widget_data_value(
                field.hidden_widget(), bound.html_initial_name
            )
            now = self.initial.get(name)  # the row as saved now
            if not field.has_changed(now, shown):
                continue  # nobody changed it since the page was shown
            posted = self._widget_data_value(field.widget, bound.html_name)
            if name in changed and field.has_changed(now, posted):
                # Both changed it, to different values.
                self.add_error(name, CHANGED_MEANWHILE)
                data = data if data is not None else self.data.copy()
                data[bound.html_initial_name] = as_posted(field, now)
                continue
            cleaned.pop(name, None)
            if name in changed:
                # Both changed it to the same value: no change left to make
                # (a save reading changed_data would look for it: found in
                # review, a KeyError on the person form).
                self.changed_data.remove(name)
        if data is not None:
            self.data = data
        return cleaned
