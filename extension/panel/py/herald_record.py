""" "What Herald records": the share event's fields, read from its JSON Schema.

Generated from shared_schemas/share-event.schema.json (embedded by the build) so the options
page can never describe fields the server does not receive, or miss one it does.
"""


def record_fields(schema, strings):
    """[(field name, explanation)] in schema order; a translated text wins over the schema's."""
    fields = []
    for name, prop in (schema or {}).get("properties", {}).items():
        key = "record_field_" + name
        text = strings.get(key)
        if text == key:  # no translation yet: the schema's own words
            title, description = prop.get("title") or name, prop.get("description") or ""
            text = title + (": " + description if description else "")
        fields.append((name, text))
    return fields
