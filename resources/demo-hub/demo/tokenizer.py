"""A character-level tokenizer: an entrypoint may return something that is not a module."""


class CharTokenizer:
    """Maps text to integer ids and back, one id per character of a fixed vocabulary.

    Id 0 is padding and id 1 stands for any character outside the vocabulary.
    """

    PAD, UNK = 0, 1

    def __init__(self, vocabulary: str, lowercase: bool = True):
        self.vocabulary = vocabulary
        self.lowercase = lowercase
        self._ids = {ch: i + 2 for i, ch in enumerate(vocabulary)}

    def __len__(self):
        return len(self.vocabulary) + 2

    def encode(self, text: str, length: int = 0):
        """Ids of `text`, padded (or cut) to `length` when it is positive."""
        if self.lowercase:
            text = text.lower()
        ids = [self._ids.get(ch, self.UNK) for ch in text]
        if length > 0:
            ids = (ids + [self.PAD] * length)[:length]
        return ids

    def decode(self, ids):
        """Text of `ids`; padding is dropped and unknown ids become '?'."""
        return "".join(self.vocabulary[i - 2] if i >= 2 else "?" for i in ids if i != self.PAD)

    def __repr__(self):
        return "CharTokenizer(vocabulary=%r, lowercase=%r, size=%d)" % (self.vocabulary, self.lowercase, len(self))
