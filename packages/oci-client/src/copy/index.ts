export { type CopyOptions, type CopyProgressEvent, copy } from './copy.js';
export {
  isLayoutLocation,
  LAYOUT_SCHEME,
  type LayoutLocation,
  parseLayoutLocation,
} from './layout-location.js';
