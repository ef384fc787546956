// A --receiver module whose default export is a class, not an instance: the CLI must say so.
export default class NotAnInstance {}
